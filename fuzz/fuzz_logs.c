/*
 * fuzz_logs.c: the files dockspace keeps between runs and reads back:
 * the size records (sizes.tsv, sizes.h) and the checkpoints' run log
 * (checkpoints.tsv, report.h).  The first byte picks the file; the size
 * records must survive a write and a read unchanged.
 */
#include "fuzz.h"

#include "report.h"
#include "sizes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = DS_ERR_INIT;

	if (size < 1)
		return 0;
	if (data[0] % 2 == 0) {
		struct ds_size_records r = DS_SIZE_RECORDS_INIT;
		struct ds_size_records again = DS_SIZE_RECORDS_INIT;
		struct ds_buf t1 = DS_BUF_INIT, t2 = DS_BUF_INIT;

		if (ds_sizes_records_parse(&r, (const char *)data + 1,
					   size - 1, &err) == DS_OK &&
		    ds_sizes_records_text(&t1, &r) == DS_OK &&
		    ds_sizes_records_parse(&again, t1.ptr ? t1.ptr : "",
					   t1.len, &err) == DS_OK &&
		    ds_sizes_records_text(&t2, &again) == DS_OK &&
		    (t1.len != t2.len ||
		     (t1.len && memcmp(t1.ptr, t2.ptr, t1.len) != 0)))
			abort();
		ds_sizes_records_free(&r);
		ds_sizes_records_free(&again);
		ds_buf_free(&t1);
		ds_buf_free(&t2);
	} else {
		struct ds_checkpoint_log log;

		memset(&log, 0, sizeof(log));
		if (ds_report_parse_log(&log, (const char *)data + 1, size - 1,
					&err) == DS_OK)
			ds_report_log_free(&log);
	}
	return 0;
}
