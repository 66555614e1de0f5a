/* units.c: sizes and durations (see units.h). */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "units.h"

struct unit {
	const char *name;
	uint64_t bytes;
};

/* Every unit name accepted, compared without case. */
static const struct unit units[] = {
	{ "", 1 }, { "b", 1 },
	{ "k", 1ULL << 10 }, { "m", 1ULL << 20 }, { "g", 1ULL << 30 },
	{ "t", 1ULL << 40 }, { "p", 1ULL << 50 },
	{ "kb", 1000ULL }, { "mb", 1000000ULL }, { "gb", 1000000000ULL },
	{ "tb", 1000000000000ULL }, { "pb", 1000000000000000ULL },
	{ "kib", 1ULL << 10 }, { "mib", 1ULL << 20 }, { "gib", 1ULL << 30 },
	{ "tib", 1ULL << 40 }, { "pib", 1ULL << 50 },
};

/* Look a unit up by name, ignoring case and surrounding blanks. */
static int find_unit(const char *text, uint64_t *out)
{
	size_t i, len;

	while (*text == ' ' || *text == '\t')
		text++;
	len = strlen(text);
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].name) == len &&
		    strncasecmp(units[i].name, text, len) == 0) {
			*out = units[i].bytes;
			return 1;
		}
	}
	return 0;
}

/* Parse a unit name alone into the bytes it stands for. */
enum ds_code ds_unit_parse(const char *text, uint64_t *out,
			   struct ds_err *err)
{
	if (!find_unit(text, out))
		return ds_err_set(err, DS_E_ARG,
				  "unknown unit '%s' (use B, kB, MB, GB, TB, "
				  "KiB, MiB, GiB, TiB or K, M, G, T)", text);
	return DS_OK;
}

/* Parse a size into bytes. */
enum ds_code ds_size_parse(const char *text, uint64_t *out,
			   struct ds_err *err)
{
	const char *p = text;
	uint64_t whole = 0, frac = 0, frac_div = 1, unit, bytes;
	int digits = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (whole > (UINT64_MAX - 9) / 10)
			goto too_big;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (frac_div > UINT64_MAX / 100)
				continue; /* beyond 1e-18: no effect */
			frac = frac * 10 + (uint64_t)(*p - '0');
			frac_div *= 10;
		}
	}
	if (!digits)
		return ds_err_set(err, DS_E_ARG,
				  "invalid size '%s': expected a number "
				  "such as 10G or 512MB", text);
	if (!find_unit(p, &unit))
		return ds_err_set(err, DS_E_ARG,
				  "invalid size '%s': unknown unit '%s' (use "
				  "B, kB, MB, GB, TB, KiB, MiB, GiB, TiB or "
				  "K, M, G, T)", text, p);
	if (whole && unit > UINT64_MAX / whole)
		goto too_big;
	bytes = whole * unit;
	/* frac / frac_div * unit, without overflow: unit <= 2^50. */
	if (frac) {
		unsigned __int128 f = (unsigned __int128)frac * unit / frac_div;

		if (bytes + (uint64_t)f < bytes)
			goto too_big;
		bytes += (uint64_t)f;
	}
	if (bytes > (uint64_t)INT64_MAX)
		goto too_big;
	*out = bytes;
	return DS_OK;
too_big:
	return ds_err_set(err, DS_E_ARG, "invalid size '%s': too large",
			  text);
}

/* Parse a duration into seconds. */
enum ds_code ds_duration_parse(const char *text, uint64_t *out,
			       struct ds_err *err)
{
	const char *p = text;
	uint64_t total = 0;
	int groups = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != ' ' && *p != '\t') {
		uint64_t n = 0, mult;
		int digits = 0;

		for (; isdigit((unsigned char)*p); p++, digits++) {
			if (n > (UINT64_MAX - 9) / 10)
				goto too_big;
			n = n * 10 + (uint64_t)(*p - '0');
		}
		if (!digits)
			goto bad;
		switch (tolower((unsigned char)*p)) {
		case 's': mult = 1; p++; break;
		case 'm': mult = 60; p++; break;
		case 'h': mult = 3600; p++; break;
		case 'd': mult = 86400; p++; break;
		case 'w': mult = 604800; p++; break;
		case '\0': case ' ': case '\t':
			if (groups)
				goto bad; /* "1h30" is ambiguous */
			mult = 1;
			break;
		default:
			goto bad;
		}
		if (n && mult > UINT64_MAX / n)
			goto too_big;
		if (total + n * mult < total)
			goto too_big;
		total += n * mult;
		groups++;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (!groups || *p)
		goto bad;
	*out = total;
	return DS_OK;
bad:
	return ds_err_set(err, DS_E_ARG,
			  "invalid duration '%s': use a number with s, m, "
			  "h, d or w, such as 90s, 30m, 24h, 7d or 1h30m",
			  text);
too_big:
	return ds_err_set(err, DS_E_ARG, "invalid duration '%s': too large",
			  text);
}

/* Format bytes as docker's HumanSize does. */
char *ds_size_human(uint64_t bytes, char *out, size_t n)
{
	static const char *const names[] = { "B", "kB", "MB", "GB", "TB",
					     "PB", "EB" };
	double size = (double)bytes;
	size_t i = 0;

	while (size >= 1000.0 && i + 1 < sizeof(names) / sizeof(names[0])) {
		size /= 1000.0;
		i++;
	}
	snprintf(out, n, "%.4g%s", size, names[i]);
	return out;
}

/* Format bytes exactly, in the unit that divides them to the smallest number. */
char *ds_size_exact(uint64_t bytes, char *out, size_t n)
{
	static const struct unit exact[] = {
		{ "T", 1ULL << 40 }, { "G", 1ULL << 30 }, { "M", 1ULL << 20 },
		{ "K", 1ULL << 10 }, { "TB", 1000000000000ULL },
		{ "GB", 1000000000ULL }, { "MB", 1000000ULL }, { "kB", 1000ULL },
	};
	const struct unit *best = NULL;
	size_t i;

	for (i = 0; bytes && i < sizeof(exact) / sizeof(exact[0]); i++)
		if (bytes % exact[i].bytes == 0 &&
		    (!best || exact[i].bytes > best->bytes))
			best = &exact[i];
	if (best)
		snprintf(out, n, "%" PRIu64 "%s", bytes / best->bytes,
			 best->name);
	else
		snprintf(out, n, "%" PRIu64, bytes);
	return out;
}

/* Parse a yes/no value: 1/yes/true/on or 0/no/false/off/empty. */
enum ds_code ds_bool_parse(const char *text, int *out, struct ds_err *err)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off", "" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(text, yes[i]) == 0) {
			*out = 1;
			return DS_OK;
		}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(text, no[i]) == 0) {
			*out = 0;
			return DS_OK;
		}
	return ds_err_set(err, DS_E_ARG, "invalid yes/no value '%s': use "
			  "1, yes, true, on or 0, no, false, off", text);
}
