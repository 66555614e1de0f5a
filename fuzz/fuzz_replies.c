/*
 * fuzz_replies.c: every engine reply parser (model.h): /system/df,
 * /images/json, /containers/json, image inspect, history, /info,
 * /version, an /events line, error bodies, /build/prune, exec-form
 * commands and reference normalisation.  The first byte picks the
 * parser, the rest is the body.
 */
#include "fuzz.h"

#include "model.h"
#include "ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = DS_ERR_INIT;
	const char *body;
	size_t len, n = 0;
	char msg[256], *s;

	if (size < 1)
		return 0;
	body = (const char *)data + 1;
	len = size - 1;
	switch (data[0] % 12) {
	case 0: {
		struct ds_df df = { 0 };

		if (ds_model_parse_df(&df, body, len, &err) == DS_OK)
			ds_model_df_free(&df);
		break;
	}
	case 1: {
		struct ds_image *list = NULL;

		if (ds_model_parse_images(&list, &n, body, len, &err) == DS_OK)
			ds_model_images_free(list, n);
		break;
	}
	case 2: {
		struct ds_container *list = NULL;

		if (ds_model_parse_containers(&list, &n, body, len, &err)
		    == DS_OK)
			ds_model_containers_free(list, n);
		break;
	}
	case 3: {
		struct ds_image img;

		memset(&img, 0, sizeof(img));
		if (ds_model_parse_image_inspect(&img, body, len, &err)
		    == DS_OK)
			ds_model_image_free(&img);
		break;
	}
	case 4: {
		struct ds_history *list = NULL;

		if (ds_model_parse_history(&list, &n, body, len, &err)
		    == DS_OK)
			ds_model_history_free(list, n);
		break;
	}
	case 5: {
		struct ds_info info;

		memset(&info, 0, sizeof(info));
		if (ds_model_parse_info(&info, body, len, &err) == DS_OK)
			ds_model_info_free(&info);
		break;
	}
	case 6: {
		struct ds_version v;

		memset(&v, 0, sizeof(v));
		if (ds_model_parse_version(&v, body, len, &err) == DS_OK)
			ds_model_version_free(&v);
		break;
	}
	case 7: {
		struct ds_event ev;

		memset(&ev, 0, sizeof(ev));
		if (ds_model_parse_event(&ev, body, len, &err) == DS_OK)
			ds_model_event_free(&ev);
		break;
	}
	case 8:
	case 9:
		ds_model_error_message(msg, sizeof(msg), data[0] % 12 == 8
				       ? "application/json" : "text/plain",
				       body, len);
		if (strlen(msg) >= sizeof(msg) || strchr(msg, '\n'))
			abort();
		break;
	case 10: {
		int deleted = 0;

		ds_model_build_prune_deleted(&deleted, "sha256:abc", body, len,
					     &err);
		break;
	}
	default: {
		char **argv = NULL;

		if (ds_model_parse_argv(&argv, &n, body, len) == DS_OK)
			ds_model_argv_free(argv, n);
		s = fuzz_str(data + 1, len);
		/* the familiar form is a suffix of the reference */
		if (ds_ref_familiar(s) &&
		    strlen(ds_ref_familiar(s)) > strlen(s))
			abort();
		free(s);
	}
	}
	if (err.code != DS_OK && !err.msg[0])
		abort();
	return 0;
}
