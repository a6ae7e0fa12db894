# emailng:begin allow-block
if address :is "from" {{block:stringlist}}
{
	discard;
	stop;
}
# emailng:end allow-block
