# emailng:begin spam
if {{is_spam:test}}
{
	fileinto{{#create}} :create{{/create}} {{folder:line}};
	stop;
}
# emailng:end spam
