/*
 * fuzz_handoff.c: what a hand-off reads from outside, by the first
 * byte: 0 the ledger file (ledger.h: parse, look every reference up,
 * format what was parsed and parse it again to the same records), 1 a
 * TO argument (dest.h), 2 a `docker save` manifest.json and an image
 * manifest (model.h), 3 the JSON stream /images/load answers.
 */
#include "fuzz.h"

#include "buf.h"
#include "dest.h"
#include "ledger.h"
#include "model.h"

/* The ledger: parse, find, format, parse again. */
static void ledger(const uint8_t *data, size_t size)
{
	struct ds_ledger l = DS_LEDGER_INIT, again = DS_LEDGER_INIT;
	struct ds_buf b = DS_BUF_INIT;
	char msg[700];
	size_t i;

	if (ds_ledger_parse(&l, (const char *)data, size, NULL) != DS_OK)
		return;
	for (i = 0; i < l.n; i++) {
		if (!ds_ledger_find(&l, l.recs[i].ref))
			abort();
		ds_ledger_gone_text(&l.recs[i], l.recs[i].ref, msg,
				    sizeof(msg));
		if (ds_ledger_format(&b, &l.recs[i]) != DS_OK)
			abort();
	}
	if (ds_ledger_parse(&again, b.ptr ? b.ptr : "", b.len, NULL) != DS_OK ||
	    again.n != l.n)
		abort();
	ds_ledger_free(&l);
	ds_ledger_free(&again);
	ds_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_dest d;
	struct ds_save_manifest m;
	char *text, out[700];

	if (!size)
		return 0;
	text = fuzz_str(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		ledger(data + 1, size - 1);
		break;
	case 1:
		if (ds_dest_parse(&d, text, &err) == DS_OK) {
			if (!d.text)
				abort();
			ds_dest_free(&d);
		} else if (!err.msg[0]) {
			abort();
		}
		ds_dest_describe(text, out, sizeof(out));
		break;
	case 2:
		if (ds_model_parse_save_manifest(&m, text, size - 1, NULL) ==
		    DS_OK)
			ds_model_save_manifest_free(&m);
		ds_model_manifest_config(out, sizeof(out), text, size - 1,
					 NULL);
		break;
	default:
		ds_model_load_error(out, sizeof(out), text, size - 1);
		if (strlen(out) >= sizeof(out))
			abort();
		break;
	}
	free(text);
	return 0;
}
