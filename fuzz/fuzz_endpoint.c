/*
 * fuzz_endpoint.c: a DOCKER_HOST value or a context's host
 * (ds_endpoint_parse_host), and the redaction of every message
 * (redact.h): no credentials survive, the length contract holds.
 */
#include "fuzz.h"

#include "endpoint.h"
#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_endpoint ep;
	char *text = fuzz_str(data, size), *out;
	char small[16];
	size_t n;

	if (ds_endpoint_parse_host(&ep, text, "DOCKER_HOST", &err) == DS_OK) {
		/* a kept address has no userinfo and no query */
		if (!ep.url || (ep.kind == DS_EP_TCP &&
				(strchr(ep.url, '@') || strchr(ep.url, '?'))))
			abort();
		ds_endpoint_free(&ep);
	} else if (!err.msg[0]) {
		abort();
	}

	n = ds_redact_text(NULL, 0, text);
	out = malloc(n + 1);
	if (!out || ds_redact_text(out, n + 1, text) != n || strlen(out) > n)
		abort();
	/* redacting again changes nothing */
	if (ds_redact_text(NULL, 0, out) != n)
		abort();
	free(out);
	ds_redact_text(small, sizeof(small), text);
	if (strlen(small) >= sizeof(small))
		abort();
	out = ds_redact_addr_dup(text);
	if (!out || strlen(out) != ds_redact_addr(NULL, 0, text))
		abort();
	free(out);
	free(text);
	return 0;
}
