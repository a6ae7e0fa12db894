# emailng:begin allow-block
if {{is_blocked:test}}
{
	{{action:commands}}
	stop;
}
# emailng:end allow-block
