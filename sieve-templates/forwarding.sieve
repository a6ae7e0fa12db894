# emailng:begin forwarding
{{redirects:commands}}
# emailng:end forwarding
