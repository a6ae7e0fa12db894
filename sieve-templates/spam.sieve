# emailng:begin spam
{{#discard_test}}if {{discard_test:test}}
{
	discard;
	stop;
}
{{/discard_test}}if {{is_spam:test}}
{
	fileinto{{#create}} :create{{/create}} {{folder:line}};
	stop;
}
# emailng:end spam
