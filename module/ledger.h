/*
 * ledger.h: the record of hand-offs, kept in the state directory
 * (DOCKSPACE_STATE_DIR, .dockspace when unset) as handoffs.tsv, so that
 * a later step asking for an image that was handed off and removed is
 * told where it went instead of the engine's "image not known".
 *
 * One line per image and destination, tab-separated, oldest first:
 *   WHEN  REF  ID  FROM  TO  STATE
 * WHEN unix seconds; REF the canonical reference (ref.h) or the image
 * ID when it was handed off by ID; ID "sha256:..."; FROM the source
 * engine's URL; TO as given to $(docker-handoff); STATE "copied" (the
 * destination verified it, the source kept it) or "removed" (and then
 * removed from the source).  Lines that do not parse are skipped (a
 * newer format, a hand edit), never fatal.
 *
 * Parsing and lookup are pure; ds_ledger_load / ds_ledger_append do the
 * I/O (append: read, add, atomic replace, under an flock of
 * handoffs.tsv.lock, so two makes never lose each other's lines).
 *
 * Memory: a struct ds_ledger owns its records (ds_ledger_free).
 */
#ifndef DS_LEDGER_H
#define DS_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

struct ds_ledger_rec {
	int64_t when;
	char *ref;
	char *id;
	char *from;
	char *to;
	int removed;       /* STATE "removed" */
	size_t seq;        /* line order (later lines win) */
};

struct ds_ledger {
	struct ds_ledger_rec *recs;  /* sorted by ref, then seq */
	size_t n;
};

#define DS_LEDGER_INIT { NULL, 0 }

/* The file name inside the state directory. */
#define DS_LEDGER_FILE "handoffs.tsv"

/* Parse the ledger's text (len bytes) into out (sorted for lookups). */
enum ds_code ds_ledger_parse(struct ds_ledger *out, const char *text,
			     size_t len, struct ds_err *err);

/*
 * The latest record for ref: matched by canonical reference (":latest"
 * implied), or by image ID (full, or a short ID of 12+ hex digits);
 * NULL when none.  Borrowed from l.  O(log n) by reference.
 */
const struct ds_ledger_rec *ds_ledger_find(const struct ds_ledger *l,
					   const char *ref);

/* Append one record's line (with its line feed) to b. */
enum ds_code ds_ledger_format(struct ds_buf *b,
			      const struct ds_ledger_rec *rec);

/*
 * The message for an image that was handed off and removed:
 * "'REF' was handed off to DEST at TIME and removed here: use it there"
 * into out (n bytes); returns out.
 */
const char *ds_ledger_gone_text(const struct ds_ledger_rec *rec,
				const char *asked, char *out, size_t n);

/* Load DIR/handoffs.tsv into out; a missing file is an empty ledger. */
enum ds_code ds_ledger_load(struct ds_ledger *out, const char *dir,
			    struct ds_err *err);

/* Add the records (n) to DIR/handoffs.tsv, creating DIR if needed. */
enum ds_code ds_ledger_append(const char *dir,
			      const struct ds_ledger_rec *recs, size_t n,
			      struct ds_err *err);

/* Release what l owns. */
void ds_ledger_free(struct ds_ledger *l);

#endif
