/*
 * test_rows.c: one engine state, as each engine row of the README's
 * conformance table gives it, through every feature's pure part:
 * negotiation and request shape, space (where the images are), tier,
 * usage, each prune kind and goal mode (the plan), layers, and what the
 * pipeline parses (image inspect, events).
 *
 * The rows docker-25.0 (API 1.44), docker-28.0 (1.48), docker-29.0
 * (1.52, containerd image store, system containerd), docker-29.4 (1.54,
 * containerd image store, containerd run by dockerd) and podman-5.8
 * (1.44) are hand-made from the engines' published API shapes by
 * tests/data/rows.py (see tests/data/README): no engine on these
 * machines speaks them.  The engines here (Docker 20.10, Podman 4.3)
 * are covered by their recorded replies in test_model.c, test_layers.c,
 * test_report.c and by the integration tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "apiver.h"
#include "engine.h"
#include "layers.h"
#include "model.h"
#include "prune.h"
#include "store.h"
#include "tier.h"
#include "usage.h"
#include "testutil.h"

#define MB 1000000LL

/* What each row must give. */
struct row {
	const char *name;          /* tests/data/row-NAME-* */
	const char *api;           /* negotiated */
	const char *df_path;       /* the /system/df request */
	const char *store_path;    /* where free space is measured */
	enum ds_store_kind store;
	int podman;
	int containerd;            /* images count content + snapshots */
	int64_t image_size;        /* the Images line */
	int64_t image_recl;
	int64_t base_layer;        /* history size of the COPY busybox step */
};

static const struct row rows[] = {
	{ "docker-25.0", "1.44", "/system/df", "/var/lib/docker",
	  DS_STORE_DATA_ROOT, 0, 0, 65 * MB, 45 * MB, 10 * MB },
	{ "docker-28.0", "1.48", "/system/df", "/var/lib/docker",
	  DS_STORE_DATA_ROOT, 0, 0, 65 * MB, 45 * MB, 10 * MB },
	{ "docker-29.0", "1.52", "/system/df?verbose=1", "/var/lib/containerd",
	  DS_STORE_CONTAINERD_SYSTEM, 0, 1, 130 * MB, 90 * MB, 0 },
	{ "docker-29.4", "1.54", "/system/df?verbose=1",
	  "/var/lib/docker/containerd/daemon", DS_STORE_CONTAINERD_DAEMON, 0,
	  1, 130 * MB, 90 * MB, 0 },
	{ "podman-5.8", "1.44", "/system/df", "/var/lib/containers/storage",
	  DS_STORE_DATA_ROOT, 1, 0, 65 * MB, 35 * MB, 10 * MB },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

/* Read tests/data/row-NAME-WHAT. */
static char *row_file(const struct row *r, const char *what, size_t *len)
{
	char name[128];

	snprintf(name, sizeof(name), "row-%s-%s", r->name, what);
	return ds_test_read(name, len);
}

/* The row's /system/df as the engine client leaves it: Podman's image
 * list replaced by /images/json (engine.c, podman_image_names). */
static void load_df(const struct row *r, struct ds_df *df)
{
	struct ds_err err = DS_ERR_INIT;
	char *json;
	size_t len;

	json = row_file(r, "system-df.json", &len);
	assert_int_equal(ds_model_parse_df(df, json, len, &err), DS_OK);
	free(json);
	if (r->podman) {
		struct ds_image *list;
		size_t n;

		json = row_file(r, "images.json", &len);
		assert_int_equal(ds_model_parse_images(&list, &n, json, len,
						       &err), DS_OK);
		free(json);
		ds_model_images_free(df->image_list, df->n_images);
		df->image_list = list;
		df->n_images = n;
	}
}

/* The value of header name in a recorded reply head, or "". */
static void header(const char *head, const char *name, char *out, size_t n)
{
	const char *p = strstr(head, name);
	size_t i = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(name);
	while (*p == ' ' || *p == ':')
		p++;
	while (p[i] && p[i] != '\r' && p[i] != '\n' && i + 1 < n) {
		out[i] = p[i];
		i++;
	}
	out[i] = '\0';
}

/* Negotiation lands on the row's version; the request shape follows. */
static void rows_should_negotiate_and_shape_requests(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	char api[16], v[16], podman[32];
	size_t i;

	(void)state;
	for (i = 0; i < N_ROWS; i++) {
		char *head = row_file(&rows[i], "ping.txt", NULL);

		header(head, "Api-Version", api, sizeof(api));
		header(head, "Libpod-Api-Version", podman, sizeof(podman));
		free(head);
		assert_int_equal(ds_api_negotiate(v, api, NULL, DS_API_MIN,
						  DS_API_MAX, rows[i].name,
						  &err), DS_OK);
		assert_string_equal(v, rows[i].api);
		assert_string_equal(ds_api_df_path(v), rows[i].df_path);
		assert_int_equal(podman[0] != '\0', rows[i].podman);
	}
}

/* space and tier: the path statvfs is asked about, from /info. */
static void rows_should_measure_where_the_images_are(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_info info;
	struct ds_store store;
	char *json;
	size_t i, len;

	(void)state;
	for (i = 0; i < N_ROWS; i++) {
		json = row_file(&rows[i], "info.json", &len);
		assert_int_equal(ds_model_parse_info(&info, json, len, &err),
				 DS_OK);
		free(json);
		assert_int_equal(ds_store_is_containerd(&info),
				 rows[i].containerd);
		/* Containerd.Address decides (1.46+), not the host's socket */
		ds_store_locate(&info, 0, &store);
		assert_string_equal(store.path, rows[i].store_path);
		assert_int_equal(store.kind, rows[i].store);
		ds_store_locate(&info, 1, &store);
		assert_string_equal(store.path, rows[i].store_path);
		ds_model_info_free(&info);
	}
}

/* Without Containerd.Address (below 1.46), the host's socket decides. */
static void store_should_follow_the_system_socket_below_1_46(void **state)
{
	char root[] = "/srv/docker", cd[] = "io.containerd.snapshotter.v1";
	char none[] = "";
	struct ds_info info = { 0 };
	struct ds_store store;

	(void)state;
	info.root_dir = root;
	info.driver_type = cd;
	ds_store_locate(&info, 1, &store);
	assert_string_equal(store.path, "/var/lib/containerd");
	assert_int_equal(store.kind, DS_STORE_CONTAINERD_SYSTEM);
	ds_store_locate(&info, 0, &store);
	assert_string_equal(store.path, "/srv/docker/containerd/daemon");
	assert_int_equal(store.kind, DS_STORE_CONTAINERD_DAEMON);
	/* a graph driver: the data root whatever the socket */
	info.driver_type = none;
	ds_store_locate(&info, 1, &store);
	assert_string_equal(store.path, "/srv/docker");
	assert_int_equal(store.kind, DS_STORE_DATA_ROOT);
}

/* The recorded engines' /info: their data roots. */
static void store_should_keep_the_data_root_of_recorded_engines(void **s)
{
	static const char *const files[] = { "docker-20.10-info.json",
					     "podman-4.3-info.json" };
	static const char *const want[] = { "/tmp/dsmodel.CKrP/root",
					    "/tmp/dsmodel.CKrP/podman/root" };
	struct ds_err err = DS_ERR_INIT;
	struct ds_info info;
	struct ds_store store;
	size_t i, len;

	(void)s;
	for (i = 0; i < 2; i++) {
		char *json = ds_test_read(files[i], &len);

		assert_int_equal(ds_model_parse_info(&info, json, len, &err),
				 DS_OK);
		free(json);
		ds_store_locate(&info, 1, &store);
		assert_string_equal(store.path, want[i]);
		assert_int_equal(store.kind, DS_STORE_DATA_ROOT);
		ds_model_info_free(&info);
	}
}

/* usage: the four lines, computed the same way for every version. */
static void rows_should_give_the_same_usage_lines(void **state)
{
	struct ds_df df;
	struct ds_space space = { 0 };
	struct ds_buf b = DS_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < N_ROWS; i++) {
		load_df(&rows[i], &df);
		assert_int_equal(df.images.total, 4);
		assert_int_equal(df.images.active, 1);
		assert_int_equal(df.images.size, rows[i].image_size);
		/* not the daemon's 29.0 figure (42 MB) nor 29.4's (70 MB) */
		assert_int_equal(df.images.reclaimable, rows[i].image_recl);
		assert_int_equal(df.containers.total, 2);
		assert_int_equal(df.containers.active, 1);
		assert_int_equal(df.containers.size, 5 * MB);
		assert_int_equal(df.containers.reclaimable, 4 * MB);
		assert_int_equal(df.volumes.total, 3);
		assert_int_equal(df.volumes.size, 6 * MB);
		assert_int_equal(df.volumes.reclaimable, 4 * MB);
		if (rows[i].podman) {
			assert_int_equal(df.cache.total, 0);
		} else {
			/* Shared records left out (the daemon says 22 MB) */
			assert_int_equal(df.cache.total, 4);
			assert_int_equal(df.cache.size, 13 * MB);
			assert_int_equal(df.cache.reclaimable, 11 * MB);
		}
		space.mode = DS_SPACE_FS;
		space.store = rows[i].store;
		snprintf(space.path, sizeof(space.path), "%s",
			 rows[i].store_path);
		ds_buf_reset(&b);
		assert_int_equal(ds_usage_table(&b, &df, &space), DS_OK);
		assert_non_null(strstr(b.ptr, rows[i].store_path));
		assert_true(!strstr(b.ptr, "overlap") == !rows[i].containerd);
		ds_model_df_free(&df);
	}
	ds_buf_free(&b);
}

/* tier: the pick on what the row's store measured (pure). */
static void rows_should_pick_a_tier(void **state)
{
	struct ds_tier_limits lim = { DS_TIER_DEFAULT_FULL,
				      DS_TIER_DEFAULT_MEDIUM,
				      DS_TIER_DEFAULT_MINIMAL };

	(void)state;
	assert_string_equal(ds_tier_name(ds_tier_pick(9ULL << 30, &lim)),
			    "full");
	assert_string_equal(ds_tier_name(ds_tier_pick(1ULL << 30, &lim)),
			    "critical");
}

/* The names a plan lists, blank-separated, sorted by the plan's order. */
static void plan_names(const struct ds_df *df, unsigned int kinds,
		       int64_t goal, char *out, size_t n)
{
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_prune_plan plan = { 0 };
	struct ds_err err = DS_ERR_INIT;
	size_t i, used = 0;

	o.kinds = kinds;
	o.now = 1800000000;
	o.free_goal = goal;
	o.free_now = goal >= 0 ? 1000 * MB : 0;
	assert_int_equal(ds_prune_plan(&plan, df, &o, &err), DS_OK);
	out[0] = '\0';
	for (i = 0; i < plan.n && used < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s",
					 i ? " " : "",
					 ds_prune_item_name(&plan.items[i]));
	ds_prune_plan_free(&plan);
}

/* Each prune kind and goal mode plan the same objects on every row. */
static void rows_should_plan_each_prune_kind(void **state)
{
	struct ds_df df;
	char got[1024], dang[80], want[256];
	const char *dang_id;
	size_t i;

	(void)state;
	for (i = 0; i < N_ROWS; i++) {
		load_df(&rows[i], &df);
		dang_id = rows[i].containerd ? "dd" : "d0";
		snprintf(dang, sizeof(dang), "sha256:%s", dang_id);
		plan_names(&df, DS_PRUNE_CONTAINERS, -1, got, sizeof(got));
		assert_string_equal(got, "job");
		plan_names(&df, DS_PRUNE_DANGLING, -1, got, sizeof(got));
		assert_true(strncmp(got, dang, strlen(dang)) == 0);
		assert_null(strchr(got, ' '));
		/* app:1 stays: web (running) uses it */
		plan_names(&df, DS_PRUNE_IMAGES, -1, got, sizeof(got));
		assert_null(strstr(got, "app:1"));
		assert_non_null(strstr(got, "app:0"));
		assert_non_null(strstr(got, "tool:2"));
		assert_non_null(strstr(got, dang));
		plan_names(&df, DS_PRUNE_VOLUMES, -1, got, sizeof(got));
		assert_null(strstr(got, "data"));
		assert_non_null(strstr(got, "scratch"));
		plan_names(&df, DS_PRUNE_CACHE, -1, got, sizeof(got));
		if (rows[i].podman) {
			assert_string_equal(got, "");
		} else {
			/* shared and in-use records stay; the child first */
			assert_string_equal(got, "c-mount c-regular");
		}
		/* goal mode: 12 MB more, cache first (least recently used) */
		plan_names(&df, DS_PRUNE_IMAGES | DS_PRUNE_CACHE,
			   1000 * MB + 12 * MB, got, sizeof(got));
		snprintf(want, sizeof(want), "%s",
			 rows[i].podman ? "" : "c-mount c-regular");
		assert_true(strncmp(got, want, strlen(want)) == 0);
		assert_true(strlen(got) > strlen(want));
		ds_model_df_free(&df);
	}
}

/*
 * Goal mode on the recorded engines (Docker 20.10, Podman 4.3): a goal
 * one byte past free space is reachable; Podman's plan has no cache.
 */
static void recorded_rows_should_plan_goal_mode(void **state)
{
	static const char *const files[] = { "docker-20.10-system-df.json",
					     "podman-4.3-system-df.json" };
	struct ds_err err = DS_ERR_INIT;
	struct ds_prune_opts o = DS_PRUNE_OPTS_INIT;
	struct ds_prune_plan plan;
	struct ds_df df;
	size_t i, k, len, n_cache;
	char *json;

	(void)state;
	for (i = 0; i < 2; i++) {
		json = ds_test_read(files[i], &len);
		assert_int_equal(ds_model_parse_df(&df, json, len, &err),
				 DS_OK);
		free(json);
		memset(&plan, 0, sizeof(plan));
		o.kinds = DS_PRUNE_IMAGES | DS_PRUNE_CACHE;
		o.now = 1900000000;
		o.free_now = 1000 * MB;
		o.free_goal = 1000 * MB + 1;
		assert_int_equal(ds_prune_plan(&plan, &df, &o, &err), DS_OK);
		assert_true(plan.n >= 1);
		assert_true(plan.goal_reachable);
		for (k = 0, n_cache = 0; k < plan.n; k++)
			n_cache += plan.items[k].kind == DS_ITEM_CACHE;
		/* Docker: cache first (least recently used); Podman: none */
		if (i == 0)
			assert_int_equal(plan.items[0].kind, DS_ITEM_CACHE);
		else
			assert_int_equal(n_cache, 0);
		ds_prune_plan_free(&plan);
		ds_model_df_free(&df);
	}
}

/* layers: the largest step; the containerd store's 0 for a layer that
 * is not unpacked stays 0 (it is not a guess). */
static void rows_should_read_layers(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_history *h;
	struct ds_layer *top;
	size_t i, n, n_top, len;
	char *json;

	(void)state;
	for (i = 0; i < N_ROWS; i++) {
		json = row_file(&rows[i], "history.json", &len);
		assert_int_equal(ds_model_parse_history(&h, &n, json, len,
							&err), DS_OK);
		free(json);
		assert_int_equal(n, 3);
		assert_int_equal(h[2].size, rows[i].base_layer);
		assert_int_equal(ds_layers_top(&top, &n_top, h, n, 1, 0, &err),
				 DS_OK);
		assert_int_equal(n_top, 1);
		assert_int_equal(top[0].size, 20 * MB);
		assert_non_null(strstr(top[0].instruction, "pip install"));
		ds_layers_free(top, n_top);
		ds_model_history_free(h, n);
	}
}

/* pipeline: image inspect (no Parent from 1.52, no VirtualSize from
 * 1.44) and events (no id/status/from from 1.52). */
static void rows_should_parse_what_the_pipeline_reads(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_image img;
	struct ds_event ev;
	char *json, *line, *end;
	size_t i, len, n;

	(void)state;
	for (i = 0; i < N_ROWS; i++) {
		json = row_file(&rows[i], "image-inspect.json", &len);
		assert_int_equal(ds_model_parse_image_inspect(&img, json, len,
							      &err), DS_OK);
		free(json);
		assert_int_equal(img.size, (rows[i].containerd ? 60 : 30) * MB);
		assert_string_equal(img.tags[0], "app:1");
		assert_string_equal(img.parent_id, "");
		ds_model_image_free(&img);

		json = row_file(&rows[i], "events.jsonl", &len);
		for (line = json, n = 0; (end = strchr(line, '\n'));
		     line = end + 1, n++) {
			assert_int_equal(ds_model_parse_event(
				&ev, line, (size_t)(end - line), &err), DS_OK);
			assert_true(ev.id[0] != '\0');
			assert_int_equal(ev.time, 1760000500);
			if (n == 0) {
				assert_string_equal(ev.action, "tag");
				assert_string_equal(ev.name, "app:1");
			} else if (n == 2) {
				assert_string_equal(ev.type, "container");
				assert_string_equal(ev.action, "destroy");
				assert_string_equal(ev.name, "web");
			}
			ds_model_event_free(&ev);
		}
		assert_int_equal(n, 3);
		free(json);
	}
}

DS_TEST_MAIN(
	cmocka_unit_test(rows_should_negotiate_and_shape_requests),
	cmocka_unit_test(rows_should_measure_where_the_images_are),
	cmocka_unit_test(store_should_follow_the_system_socket_below_1_46),
	cmocka_unit_test(store_should_keep_the_data_root_of_recorded_engines),
	cmocka_unit_test(rows_should_give_the_same_usage_lines),
	cmocka_unit_test(rows_should_pick_a_tier),
	cmocka_unit_test(rows_should_plan_each_prune_kind),
	cmocka_unit_test(recorded_rows_should_plan_goal_mode),
	cmocka_unit_test(rows_should_read_layers),
	cmocka_unit_test(rows_should_parse_what_the_pipeline_reads))
