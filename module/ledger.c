/* ledger.c: the record of hand-offs (see ledger.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "dest.h"
#include "ledger.h"
#include "os.h"
#include "ref.h"

/* The key a reference is filed under: canonical, or an ID as given. */
static void key_of(const char *ref, char *out, size_t n)
{
	if (strncmp(ref, "sha256:", 7) == 0 ||
	    ds_ref_canonical(out, n, ref, 1) != 0)
		snprintf(out, n, "%s", ref);
}

/* Order records by ref, then by line. */
static int rec_cmp(const void *a, const void *b)
{
	const struct ds_ledger_rec *x = a, *y = b;
	int c = strcmp(x->ref, y->ref);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Free one record's strings. */
static void rec_free(struct ds_ledger_rec *r)
{
	free(r->ref);
	free(r->id);
	free(r->from);
	free(r->to);
}

/* Split one line into its 6 fields (in place); 0 when it is a record. */
static int split_line(char *line, char **f)
{
	int i;

	for (i = 0; i < 6; i++) {
		f[i] = line;
		line = strchr(line, '\t');
		if (i < 5 && !line)
			return -1;
		if (line)
			*line++ = '\0';
	}
	return 0;
}

/* Parse the ledger's text into out. */
enum ds_code ds_ledger_parse(struct ds_ledger *out, const char *text,
			     size_t len, struct ds_err *err)
{
	char *copy = malloc(len + 1), *line, *next, *f[6], *end;
	size_t cap = 0, seq = 0;
	struct ds_ledger_rec *r;
	char key[DS_REF_MAX];

	out->recs = NULL;
	out->n = 0;
	if (!copy)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (line = copy; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		seq++;
		if (split_line(line, f) != 0 || !*f[1] || !*f[2] || !*f[4])
			continue;
		if (strcmp(f[5], "copied") != 0 && strcmp(f[5], "removed") != 0)
			continue;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *p = realloc(out->recs, ncap * sizeof(*r));

			if (!p)
				goto nomem;
			out->recs = p;
			cap = ncap;
		}
		r = &out->recs[out->n];
		memset(r, 0, sizeof(*r));
		r->when = strtoll(f[0], &end, 10);
		if (*end)
			continue;
		key_of(f[1], key, sizeof(key));
		r->ref = strdup(key);
		r->id = strdup(f[2]);
		r->from = strdup(f[3]);
		r->to = strdup(f[4]);
		r->removed = strcmp(f[5], "removed") == 0;
		r->seq = seq;
		out->n++;
		if (!r->ref || !r->id || !r->from || !r->to)
			goto nomem;
	}
	free(copy);
	if (out->n)
		qsort(out->recs, out->n, sizeof(*out->recs), rec_cmp);
	return DS_OK;
nomem:
	free(copy);
	ds_ledger_free(out);
	return ds_err_set(err, DS_E_NOMEM, "out of memory");
}

/* The latest record filed under key exactly; NULL when none. */
static const struct ds_ledger_rec *latest_under(const struct ds_ledger *l,
						const char *key)
{
	const struct ds_ledger_rec *best = NULL;
	size_t lo = 0, hi = l->n, i;

	while (lo < hi) {   /* the first record with ref >= key */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(l->recs[mid].ref, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < l->n && strcmp(l->recs[i].ref, key) == 0; i++)
		best = &l->recs[i];   /* sorted by seq: the last one wins */
	return best;
}

/* The latest record for ref (by reference, as given, else by ID). */
const struct ds_ledger_rec *ds_ledger_find(const struct ds_ledger *l,
					   const char *ref)
{
	const struct ds_ledger_rec *best;
	char key[DS_REF_MAX];
	const char *hex = ds_ref_short_id(ref);
	size_t i;

	key_of(ref, key, sizeof(key));
	best = latest_under(l, key);
	if (!best)   /* a key that does not normalise to itself */
		best = latest_under(l, ref);
	if (best || !hex)
		return best;
	for (i = 0; i < l->n; i++)  /* an ID: any record of that image */
		if (ds_ref_id_matches(l->recs[i].id, hex) &&
		    (!best || l->recs[i].seq > best->seq))
			best = &l->recs[i];
	return best;
}

/* Append one record's line to b. */
enum ds_code ds_ledger_format(struct ds_buf *b,
			      const struct ds_ledger_rec *rec)
{
	return ds_buf_printf(b, "%" PRId64 "\t%s\t%s\t%s\t%s\t%s\n",
			     rec->when, rec->ref, rec->id, rec->from, rec->to,
			     rec->removed ? "removed" : "copied");
}

/* The message for an image that was handed off and removed. */
const char *ds_ledger_gone_text(const struct ds_ledger_rec *rec,
				const char *asked, char *out, size_t n)
{
	char dest[600], when[32];
	time_t t = (time_t)rec->when;
	struct tm tm;

	ds_dest_describe(rec->to, dest, sizeof(dest));
	if (!gmtime_r(&t, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(when, sizeof(when), "%" PRId64, rec->when);
	snprintf(out, n, "'%s' was handed off to %s at %s and removed here "
		 "(from '%s'): use it there", asked, dest, when, rec->from);
	return out;
}

/* The ledger's path in dir, in b. */
static enum ds_code ledger_path(struct ds_buf *b, const char *dir,
				const char *suffix, struct ds_err *err)
{
	if (ds_buf_printf(b, "%s/%s%s", dir, DS_LEDGER_FILE, suffix) != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	return DS_OK;
}

/* Load DIR/handoffs.tsv into out. */
enum ds_code ds_ledger_load(struct ds_ledger *out, const char *dir,
			    struct ds_err *err)
{
	struct ds_buf path = DS_BUF_INIT, text = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;
	enum ds_code result;

	out->recs = NULL;
	out->n = 0;
	result = ledger_path(&path, dir, "", err);
	if (result == DS_OK) {
		result = ds_buf_read_file(&text, path.ptr, &local);
		if (result == DS_E_NOTFOUND)
			result = DS_OK;
		else if (result != DS_OK)
			ds_err_set(err, result, "%s", local.msg);
		else
			result = ds_ledger_parse(out, text.ptr ? text.ptr : "",
						 text.len, err);
	}
	ds_buf_free(&path);
	ds_buf_free(&text);
	return result;
}

/* Add records to DIR/handoffs.tsv (read, add, atomic replace, locked). */
enum ds_code ds_ledger_append(const char *dir,
			      const struct ds_ledger_rec *recs, size_t n,
			      struct ds_err *err)
{
	struct ds_buf path = DS_BUF_INIT, lock = DS_BUF_INIT;
	struct ds_buf text = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;
	enum ds_code result;
	char reason[128];
	size_t i;
	int fd = -1;

	result = ds_os_mkdirs(dir, err);
	if (result == DS_OK)
		result = ledger_path(&path, dir, "", err);
	if (result == DS_OK)
		result = ledger_path(&lock, dir, ".lock", err);
	if (result != DS_OK)
		goto done;
	fd = open(lock.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0 || flock(fd, LOCK_EX) != 0) {
		result = ds_err_set(err, DS_E_IO, "cannot lock '%s': %s",
				    lock.ptr, ds_errno_text(errno, reason,
				    sizeof(reason)));
		goto done;
	}
	result = ds_buf_read_file(&text, path.ptr, &local);
	if (result == DS_E_NOTFOUND) {
		result = DS_OK;
	} else if (result != DS_OK) {
		ds_err_set(err, result, "%s", local.msg);
		goto done;
	}
	if (text.len && text.ptr[text.len - 1] != '\n')
		result = ds_buf_puts(&text, "\n");
	for (i = 0; i < n && result == DS_OK; i++)
		result = ds_ledger_format(&text, &recs[i]);
	if (result != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = ds_os_write_file(path.ptr, text.ptr, text.len, err);
done:
	if (fd >= 0)
		close(fd);   /* releases the lock */
	ds_buf_free(&path);
	ds_buf_free(&lock);
	ds_buf_free(&text);
	return result;
}

/* Release what l owns. */
void ds_ledger_free(struct ds_ledger *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		rec_free(&l->recs[i]);
	free(l->recs);
	l->recs = NULL;
	l->n = 0;
}
