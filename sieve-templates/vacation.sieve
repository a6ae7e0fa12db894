# emailng:begin vacation
if {{when:test}}
{
	vacation{{#days}} :days {{days:number}}{{/days}}{{#seconds}} :seconds {{seconds:number}}{{/seconds}}{{#subject}} :subject {{subject:line}}{{/subject}}{{#from}} :from {{from:line}}{{/from}}{{#addresses}} :addresses {{addresses:stringlist}}{{/addresses}} {{body:text}};
}
# emailng:end vacation
