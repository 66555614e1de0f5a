/*
 * plan_bench.c: CPU time of parsing a /system/df reply and planning a
 * prune on it (issue 8, part 3), no engine needed.  See bench/plan and
 * bench/README.md.
 *
 *   plan_bench [-s SIZES] [-r RUNS] [-f FILE.json]
 *
 * Generates /system/df replies shaped like tests/data/docker-20.10-
 * system-df.json (the same fields; legacy-build parent chains, tags
 * across repositories and registries, dangling images, containers using
 * some images, BuildKit cache chains with shared and in-use records) of
 * N images and N cache records for each N in SIZES (default
 * 1000,10000,100000), and times, per option set, ds_model_parse_df and
 * ds_prune_plan (median CPU time of RUNS runs, CLOCK_PROCESS_CPUTIME_ID).
 * -f times a recorded reply instead.  (The planner before issue 8 ran
 * beside it until the figures of bench/README.md were taken; see there
 * to run it again.)
 *
 * Exit status: 0 every plan of 10,000 images and 10,000 cache records
 * parsed and planned within 100 ms of CPU; 1 otherwise; 2 error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "model.h"
#include "deps.h"
#include "prune.h"
#include "share.h"

#define TARGET_N 10000
#define TARGET_MS 100.0

/* xorshift64*: a small, seeded, reproducible generator. */
static uint64_t rng_state = 88172645463325252ULL;

/* The next pseudo-random number. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* A pseudo-random number below n (n > 0). */
static size_t below(size_t n)
{
	return (size_t)(rnd() % n);
}

/* 1 with probability pct percent. */
static int chance(unsigned pct)
{
	return below(100) < pct;
}

/* A 64-hex-digit ID. */
static void hex_id(char out[65])
{
	int i;

	for (i = 0; i < 4; i++)
		snprintf(out + 16 * i, 17, "%016" PRIx64, rnd());
}

/* A BuildKit-style record ID: 25 base-36 characters. */
static void cache_id(char out[26])
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	int i;

	for (i = 0; i < 25; i++)
		out[i] = digits[below(36)];
	out[25] = '\0';
}

/* RFC 3339 time of unix seconds t, with nanoseconds as BuildKit writes. */
static void rfc3339(char *out, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)below(1000000000));
}

/* What the generator knows of an image while writing the reply. */
struct gen_image {
	char id[65];
	int64_t created;
	int users;          /* containers using it */
};

/* The time every generated snapshot is taken at (as in the recording). */
#define NOW 1795314410

/*
 * Write one image: tags (n_tags of them in tags[], "" for none), a
 * parent index or -1, labels by kind (0 none, 1 team labels as in the
 * recording, 2 dockspace.keep).
 */
static void put_image(struct ds_buf *b, const struct gen_image *img,
		      const struct gen_image *parent, char tags[][96],
		      size_t n_tags, int labels, int first)
{
	int64_t size = 1000000 + (int64_t)below(400000000);
	int64_t shared = chance(70) ? (int64_t)below((size_t)size) : 0;
	size_t t;

	ds_buf_printf(b, "%s{\"Containers\":%d,\"Created\":%" PRId64
		      ",\"Id\":\"sha256:%s\",\"Labels\":", first ? "" : ",",
		      img->users, img->created, img->id);
	if (labels == 2)
		ds_buf_puts(b, "{\"dockspace.keep\":\"1\"}");
	else if (labels == 1)
		ds_buf_puts(b, "{\"org.example.team\":\"core\","
			    "\"org.example.tier\":\"gold\"}");
	else
		ds_buf_puts(b, "null");
	ds_buf_printf(b, ",\"ParentId\":\"%s%s\",\"RepoDigests\":",
		      parent ? "sha256:" : "", parent ? parent->id : "");
	if (!n_tags) {
		ds_buf_puts(b, "[\"<none>@<none>\"],\"RepoTags\":"
			    "[\"<none>:<none>\"]");
	} else {
		ds_buf_puts(b, "null,\"RepoTags\":[");
		for (t = 0; t < n_tags; t++)
			ds_buf_printf(b, "%s\"%s\"", t ? "," : "", tags[t]);
		ds_buf_puts(b, "]");
	}
	ds_buf_printf(b, ",\"SharedSize\":%" PRId64 ",\"Size\":%" PRId64
		      ",\"VirtualSize\":%" PRId64 "}", shared, size, size);
}

/* A tag of service repository r, build k, in one of its spellings. */
static void service_tag(char *out, size_t n, size_t r, size_t k, int where)
{
	switch (where) {
	case 0:
		snprintf(out, n, "svc%zu:%zu", r, k);
		break;
	case 1:
		snprintf(out, n, "registry.example.com:5000/team/svc%zu:%zu",
			 r, k);
		break;
	case 2:
		snprintf(out, n, "team/svc%zu:latest", r);
		break;
	default:
		snprintf(out, n, "ghcr.io/example/svc%zu:b%zu", r, k);
	}
}

/*
 * Generate a Docker 20.10 /system/df reply of n_images images and
 * n_cache build-cache records into b (see the top of this file).
 */
static void gen_df(struct ds_buf *b, size_t n_images, size_t n_cache,
		   uint64_t seed)
{
	struct gen_image *img = calloc(n_images + 1, sizeof(*img));
	char (*cids)[26] = calloc(n_cache + 1, sizeof(*cids));
	int64_t *ctime = calloc(n_cache + 1, sizeof(*ctime));
	size_t repos = n_images / 20 + 1, *build = calloc(repos, sizeof(*build));
	size_t n_containers = n_images / 10 + 1, n_volumes = n_images / 100 + 1;
	size_t *uses = calloc(n_containers, sizeof(*uses));
	char tags[4][96];
	size_t i;

	if (!img || !cids || !ctime || !build || !uses) {
		fprintf(stderr, "plan_bench: out of memory\n");
		exit(2);
	}
	rng_state = seed * 2654435761ULL + 1;
	for (i = 0; i < n_images; i++) {
		hex_id(img[i].id);
		img[i].created = NOW - 90 * 86400 + (int64_t)i * 60 +
				 (int64_t)below(60);
	}
	/* containers first: the images' counts must agree with them */
	for (i = 0; i < n_containers; i++) {
		uses[i] = below(n_images);
		img[uses[i]].users++;
	}
	ds_buf_printf(b, "{\"LayersSize\":%" PRIu64 ",\"Images\":[",
		      (uint64_t)n_images * (uint64_t)100000000);
	for (i = 0; i < n_images; i++) {
		size_t kind = below(100), n_tags = 0;
		const struct gen_image *parent = NULL;
		int labels = chance(20) ? 1 : 0;

		if (chance(1))
			labels = 2;
		if (kind < 5) {
			/* pulled base images */
			snprintf(tags[n_tags++], sizeof(tags[0]),
				 kind < 3 ? "base%zu:%zu" : "registry:5000/x/base%zu:%zu",
				 i % 7, i);
		} else if (kind < 40 && i) {
			/* a legacy build's step: built on a recent image
			 * (chains, and branches where two build on one);
			 * the last step of a build is tagged */
			parent = &img[i - 1 - below(i < 4 ? i : 4)];
			if (chance(30)) {
				size_t r = below(repos);

				service_tag(tags[n_tags++], sizeof(tags[0]), r,
					    ++build[r], 0);
			}
		} else if (kind < 85) {
			/* BuildKit builds and imports: tags across
			 * repositories and registries */
			size_t r = below(repos);

			service_tag(tags[n_tags++], sizeof(tags[0]), r,
				    ++build[r], (int)below(4) == 3 ? 3 : 0);
			if (chance(15))
				service_tag(tags[n_tags++], sizeof(tags[0]),
					    r, build[r], 1);
			if (chance(5))
				service_tag(tags[n_tags++], sizeof(tags[0]),
					    r, build[r], 2);
		}
		/* else: dangling (its tag moved to a newer build) */
		put_image(b, &img[i], parent, tags, n_tags, labels, i == 0);
	}
	ds_buf_puts(b, "],\"Containers\":[");
	for (i = 0; i < n_containers; i++) {
		static const char *const states[] = { "running", "exited",
			"exited", "created", "exited", "paused" };
		char id[65];

		hex_id(id);
		ds_buf_printf(b, "%s{\"Id\":\"%s\",\"Names\":[\"/c%zu\"],"
			      "\"Image\":\"sha256:%s\",\"ImageID\":\"sha256:%s\","
			      "\"Command\":\"/bin/busybox true\",\"Created\":%"
			      PRId64 ",\"Ports\":[],\"SizeRw\":%zu,"
			      "\"SizeRootFs\":2258736,\"Labels\":{},"
			      "\"State\":\"%s\",\"Status\":\"\","
			      "\"HostConfig\":{\"NetworkMode\":\"none\"},"
			      "\"Mounts\":[]}", i ? "," : "", id, i,
			      img[uses[i]].id, img[uses[i]].id,
			      img[uses[i]].created + 30, below(1 << 20),
			      states[below(6)]);
	}
	ds_buf_puts(b, "],\"Volumes\":[");
	for (i = 0; i < n_volumes; i++)
		ds_buf_printf(b, "%s{\"CreatedAt\":\"2026-11-22T02:26:34Z\","
			      "\"Driver\":\"local\",\"Labels\":null,"
			      "\"Mountpoint\":\"/var/lib/docker/volumes/v%zu/"
			      "_data\",\"Name\":\"v%zu\",\"Options\":null,"
			      "\"Scope\":\"local\",\"UsageData\":{\"RefCount\":"
			      "%d,\"Size\":%zu}}", i ? "," : "", i, i,
			      (int)below(2), below(1 << 24));
	ds_buf_puts(b, "],\"BuildCache\":[");
	for (i = 0; i < n_cache; i++) {
		static const char *const types[] = { "regular", "regular",
			"regular", "source.local", "exec.cachemount",
			"frontend" };
		char created[48], used[48];
		int two = i > 8 && chance(10);

		cache_id(cids[i]);
		ctime[i] = NOW - 60 * 86400 + (int64_t)i * 30;
		rfc3339(created, sizeof(created), ctime[i]);
		rfc3339(used, sizeof(used), ctime[i] + (int64_t)below(86400));
		ds_buf_printf(b, "%s{\"ID\":\"%s\",", i ? "," : "", cids[i]);
		if (two) /* API 1.42: several parents (a merge) */
			ds_buf_printf(b, "\"Parents\":[\"%s\",\"%s\"],",
				      cids[i - 1 - below(4)],
				      cids[i - 5 - below(4)]);
		else
			ds_buf_printf(b, "\"Parent\":\"%s\",",
				      i && chance(70)
				      ? cids[i - 1 - below(i < 3 ? i : 3)] : "");
		ds_buf_printf(b, "\"Type\":\"%s\",\"Description\":\"mount / "
			      "from exec /bin/sh -c make -C /src step%zu\","
			      "\"InUse\":%s,\"Shared\":%s,\"Size\":%zu,"
			      "\"CreatedAt\":\"%s\",\"LastUsedAt\":\"%s\","
			      "\"UsageCount\":%zu}", types[below(6)], i,
			      chance(3) ? "true" : "false",
			      chance(40) ? "true" : "false", below(1 << 26),
			      created, used, 1 + below(9));
	}
	ds_buf_printf(b, "],\"BuilderSize\":%" PRIu64 "}",
		      (uint64_t)n_cache << 25);
	free(img);
	free(cids);
	free(ctime);
	free(build);
	free(uses);
}

/* One option set, as written in a makefile. */
struct opt_set {
	const char *what;
	const char *opts;   /* comma-separated; "free=+33%": a goal */
	const char *pins;
};

static const struct opt_set sets[] = {
	{ "images", "", NULL },
	{ "images", "keep=2", NULL },
	{ "dangling images cache", "free=+33%", NULL },
	{ "all", "", NULL },
	{ "images cache", "protect=svc1* base*,max-cache=1G", "svc2:3" },
};
#define N_SETS (sizeof(sets) / sizeof(sets[0]))

/* Options of set s on df (a goal is a third of what may go). */
static void set_opts(struct ds_prune_args *a, const struct opt_set *s,
		     const struct ds_df *df)
{
	struct ds_err err = DS_ERR_INIT;
	char *argv[2] = { (char *)s->what, (char *)s->opts };
	int goal = strcmp(s->opts, "free=+33%") == 0;
	int64_t all = 0;
	size_t i;

	if (ds_prune_parse_args(a, goal || !*s->opts ? 1 : 2, argv, s->pins,
				&err) != DS_OK) {
		fprintf(stderr, "plan_bench: %s\n", err.msg);
		exit(2);
	}
	a->opts.now = NOW;
	if (goal) {
		for (i = 0; i < df->n_images; i++)
			all += df->image_list[i].size;
		for (i = 0; i < df->n_cache; i++)
			all += df->cache_list[i].size;
		a->opts.free_now = 10LL << 30;
		a->opts.free_goal = a->opts.free_now + all / 3;
	}
}

/* CPU seconds this process has used. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse a reply or die. */
static void parse(struct ds_df *df, const struct ds_buf *json)
{
	struct ds_err err = DS_ERR_INIT;

	if (ds_model_parse_df(df, json->ptr, json->len, &err) != DS_OK) {
		fprintf(stderr, "plan_bench: cannot parse the reply: %s\n",
			err.msg);
		exit(2);
	}
}

/* One timed parse + plan: CPU seconds of each, the plan's size. */
struct timing {
	double parse, plan;
	size_t items;
};

/* Parse json and plan set s. */
static struct timing run_once(const struct ds_buf *json,
			      const struct opt_set *s)
{
	struct timing t = { 0, 0, 0 };
	struct ds_df df = { 0 };
	struct ds_prune_args a;
	struct ds_prune_plan p;
	struct ds_err err = DS_ERR_INIT;
	double t0, t1, t2;
	enum ds_code rc;

	t0 = cpu_now();
	parse(&df, json);
	t1 = cpu_now();
	set_opts(&a, s, &df);
	t2 = cpu_now();
	rc = ds_prune_plan(&p, &df, &a.opts, &err);
	t.plan = cpu_now() - t2;
	t.parse = t1 - t0;
	if (rc != DS_OK) {
		fprintf(stderr, "plan_bench: plan failed: %s\n", err.msg);
		exit(2);
	}
	t.items = p.n;
	ds_prune_plan_free(&p);
	ds_prune_args_free(&a);
	ds_model_df_free(&df);
	return t;
}

static double median(double *v, int n);

/* The one parent of cache record c (keys: df's records by ID), or NULL
 * when it has none, several, or one not in df. */
static const struct ds_cache *parent_of(const struct ds_df *df,
					const struct ds_key *keys,
					const struct ds_cache *c)
{
	size_t at;

	if (c->n_parents != 1)
		return NULL;
	at = ds_keys_find(keys, df->n_cache, c->parents[0]);
	return at < df->n_cache ? &df->cache_list[keys[at].i] : NULL;
}

/*
 * Chains for every image of df, as the histories of images BuildKit
 * built would give them: image i's chain is the record chain under a
 * shared record (sizes, RUN commands), so the map has work to do.  The
 * arrays are the caller's to free (chains[i].size, .created_by, and
 * the strings in *texts).
 */
static struct ds_layer_chain *gen_chains(const struct ds_df *df,
					 char ***texts, size_t *n_texts)
{
	struct ds_layer_chain *ch = calloc(df->n_images + 1, sizeof(*ch));
	struct ds_key *keys = calloc(df->n_cache + 1, sizeof(*keys));
	size_t *shared = calloc(df->n_cache + 1, sizeof(*shared));
	size_t i, n_shared = 0, cap = 0;

	*texts = NULL;
	*n_texts = 0;
	if (!ch || !keys || !shared)
		exit(2);
	for (i = 0; i < df->n_cache; i++) {
		keys[i] = (struct ds_key){ df->cache_list[i].id, i };
		if (df->cache_list[i].shared && df->cache_list[i].size > 0)
			shared[n_shared++] = i;
	}
	ds_keys_sort(keys, df->n_cache);
	for (i = 0; n_shared && i < df->n_images; i++) {
		size_t r = shared[below(n_shared)], depth = 0, k, hops;
		const struct ds_cache *c;

		/* the chain from the root to r, sized records only */
		for (c = &df->cache_list[r], hops = 0; c && hops < 64;
		     hops++, c = parent_of(df, keys, c))
			if (c->size > 0)
				depth++;
		ch[i].n = depth;
		ch[i].size = calloc(depth + 1, sizeof(*ch[i].size));
		ch[i].created_by = calloc(depth + 1, sizeof(char *));
		if (!ch[i].size || !ch[i].created_by)
			exit(2);
		k = depth;
		for (c = &df->cache_list[r], hops = 0; c && k && hops < 64;
		     hops++, c = parent_of(df, keys, c)) {
			if (c->size > 0) {
				char *t = NULL;

				if (asprintf(&t, "RUN %s # buildkit",
					     c->description + 18) < 0)
					exit(2);
				if (*n_texts == cap) {
					cap = cap ? 2 * cap : 1024;
					*texts = realloc(*texts,
							 cap * sizeof(char *));
					if (!*texts)
						exit(2);
				}
				(*texts)[(*n_texts)++] = t;
				k--;
				ch[i].size[k] = c->size;
				ch[i].created_by[k] = t;
			}
		}
	}
	free(keys);
	free(shared);
	return ch;
}

/* CPU ms of ds_share_map on a reply (median of runs), and how many
 * records it found an image alone holds. */
static double time_share(const struct ds_buf *json, int runs,
			 size_t *released)
{
	struct ds_df df = { 0 };
	struct ds_layer_chain *ch;
	struct ds_err err = DS_ERR_INIT;
	char **texts;
	size_t n_texts, i;
	double v[64];
	int r;

	parse(&df, json);
	ch = gen_chains(&df, &texts, &n_texts);
	for (r = 0; r < runs; r++) {
		struct ds_share sh;
		double t0 = cpu_now();

		if (ds_share_map(&sh, &df, ch, &err) != DS_OK) {
			fprintf(stderr, "plan_bench: share map: %s\n",
				err.msg);
			exit(2);
		}
		v[r] = cpu_now() - t0;
		*released = sh.first[df.n_images];
		ds_share_free(&sh);
	}
	for (i = 0; i < df.n_images; i++)
		ds_share_chain_free(&ch[i]);
	free(ch);
	for (i = 0; i < n_texts; i++)
		free(texts[i]);
	free(texts);
	ds_model_df_free(&df);
	return median(v, runs) * 1e3;
}

/* Compare doubles for qsort. */
static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n values (sorts them). */
static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), dbl_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Time every option set on one reply; returns 1 when a target fails. */
static int bench_reply(const struct ds_buf *json, size_t n_images,
		       size_t n_cache, int runs, int target)
{
	double parse[64], plan[64];
	int failed = 0, r;
	size_t k;

	for (k = 0; k < N_SETS; k++) {
		struct timing t = { 0, 0, 0 };
		double total;

		for (r = 0; r < runs; r++) {
			t = run_once(json, &sets[k]);
			parse[r] = t.parse;
			plan[r] = t.plan;
		}
		total = (median(parse, runs) + median(plan, runs)) * 1e3;
		printf("| %zu | %zu | %s%s%s | %zu | %.1f + %.2f = %.1f%s |\n",
		       n_images, n_cache, sets[k].what,
		       *sets[k].opts ? "," : "", sets[k].opts, t.items,
		       median(parse, runs) * 1e3, median(plan, runs) * 1e3,
		       total, target && total > TARGET_MS ? " FAIL" : "");
		fflush(stdout);
		if (target && total > TARGET_MS)
			failed = 1;
	}
	return failed;
}

int main(int argc, char **argv)
{
	const char *sizes = "1000,10000,100000", *file = NULL, *p;
	int runs = 5, opt, failed = 0;
	size_t share_n[16], share_rel[16], n_share = 0, k;
	double share_ms[16];

	while ((opt = getopt(argc, argv, "s:r:f:")) != -1) {
		switch (opt) {
		case 's': sizes = optarg; break;
		case 'r': runs = atoi(optarg); break;
		case 'f': file = optarg; break;
		default:
			fprintf(stderr, "usage: plan_bench [-s SIZES] [-r RUNS] "
				"[-f FILE]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 64) {
		fprintf(stderr, "plan_bench: -r is 1 to 64\n");
		return 2;
	}
	printf("| images | cache records | options | items | parse + plan "
	       "= ms CPU |\n|---|---|---|---|---|\n");
	if (file) {
		struct ds_buf json = DS_BUF_INIT;
		struct ds_df df = { 0 };
		struct ds_err err = DS_ERR_INIT;

		if (ds_buf_read_file(&json, file, &err) != DS_OK) {
			fprintf(stderr, "plan_bench: %s\n", err.msg);
			return 2;
		}
		parse(&df, &json);
		failed = bench_reply(&json, df.n_images, df.n_cache, runs, 0);
		ds_model_df_free(&df);
		ds_buf_free(&json);
		return failed;
	}
	for (p = sizes; *p;) {
		char *end;
		long n = strtol(p, &end, 10);
		struct ds_buf json = DS_BUF_INIT;

		if (end == p || n < 1 || n_share == 16) {
			fprintf(stderr, "plan_bench: bad size list '%s'\n",
				sizes);
			return 2;
		}
		gen_df(&json, (size_t)n, (size_t)n, (uint64_t)n);
		failed |= bench_reply(&json, (size_t)n, (size_t)n,
				      n >= 100000 && runs > 3 ? 3 : runs,
				      n == TARGET_N);
		share_n[n_share] = (size_t)n;
		share_ms[n_share] = time_share(&json, n >= 100000 &&
					       runs > 3 ? 3 : runs,
					       &share_rel[n_share]);
		n_share++;
		ds_buf_free(&json);
		p = *end == ',' ? end + 1 : end;
	}
	printf("\nThe build-cache sharing map (ds_share_map; each image's "
	       "chain is a shared record's, as its history gives it):\n\n"
	       "| images | cache records | records an image alone holds "
	       "| ms CPU |\n|---|---|---|---|\n");
	for (k = 0; k < n_share; k++)
		printf("| %zu | %zu | %zu | %.1f |\n", share_n[k], share_n[k],
		       share_rel[k], share_ms[k]);
	return failed;
}
