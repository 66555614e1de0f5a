/*
 * test_hints.c: the table of known causes of large layers
 * (module/hints.c), one case a hint: instructions it must match and
 * instructions it must not, as layers.c cleans them.  A last case makes
 * sure no hint of the table goes untested.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "hints.h"

#define MB 1000000LL
#define CTX DS_HINT_CONTEXT_SIZE

/* The hints every case below covers. */
static const char *const tested[] = {
	"cuda-wheels", "pip-cache", "apt-lists", "npm-cache", "yarn-cache",
	"apk-cache", "yum-cache", "whole-context", NULL
};

/* Assert that hint id matches (or not) the instruction. */
static void check(const char *id, const char *instruction, int64_t size,
		  int expected)
{
	const struct ds_hint *h = ds_hint_find(id);

	if (!h)
		fail_msg("no hint '%s'", id);
	if (ds_hint_matches(h, instruction, size, CTX) != expected)
		fail_msg("hint '%s' %s '%s'", id,
			 expected ? "does not match" : "matches", instruction);
}

static void cuda_wheels_should_match_gpu_builds(void **state)
{
	(void)state;
	check("cuda-wheels", "RUN pip install torch", 4500 * MB, 1);
	check("cuda-wheels", "RUN pip3 install --no-cache-dir tensorflow", MB,
	      1);
	check("cuda-wheels", "RUN pip install nvidia-cudnn-cu12", MB, 1);
	check("cuda-wheels", "RUN pip install \"jax[cuda12]\"", MB, 1);
	check("cuda-wheels", "RUN conda install -y pytorch cudatoolkit", MB, 1);
	check("cuda-wheels", "RUN mamba install PyTorch", MB, 1);
	/* the CPU builds are fine */
	check("cuda-wheels", "RUN pip install --index-url "
	      "https://download.pytorch.org/whl/cpu torch", MB, 0);
	check("cuda-wheels", "RUN pip install tensorflow-cpu", MB, 0);
	check("cuda-wheels", "RUN conda install pytorch cpuonly", MB, 0);
	/* no install, or nothing CUDA */
	check("cuda-wheels", "RUN python -c 'import torch'", MB, 0);
	check("cuda-wheels", "RUN pip install requests", MB, 0);
	check("cuda-wheels", "COPY torch /opt/torch", MB, 0);
}

static void pip_cache_should_want_no_cache_dir(void **state)
{
	(void)state;
	check("pip-cache", "RUN pip install -r requirements.txt", MB, 1);
	check("pip-cache", "RUN python -m pip install flask", MB, 1);
	check("pip-cache", "RUN pip3 install flask", MB, 1);
	check("pip-cache", "RUN pip install --no-cache-dir flask", MB, 0);
	check("pip-cache", "RUN PIP_NO_CACHE_DIR=1 pip install flask", MB, 0);
	check("pip-cache", "RUN pip install flask && pip cache purge", MB, 0);
	check("pip-cache", "RUN uv pip install --no-cache flask", MB, 0);
	check("pip-cache", "RUN pipx install black", MB, 0);
	check("pip-cache", "ENV PIP=pip install", 0, 0);
}

static void apt_lists_should_want_them_removed(void **state)
{
	(void)state;
	check("apt-lists", "RUN apt-get update && apt-get install -y curl",
	      MB, 1);
	check("apt-lists", "RUN apt install -y git", MB, 1);
	/* the path alone is not its removal */
	check("apt-lists", "RUN apt-get install -y curl && ls "
	      "/var/lib/apt/lists", MB, 1);
	check("apt-lists", "RUN apt-get update && apt-get install -y curl "
	      "&& rm -rf /var/lib/apt/lists/*", MB, 0);
	check("apt-lists", "RUN apt-get install -y curl && rm -fr "
	      "/var/lib/apt/lists", MB, 0);
	check("apt-lists", "RUN APT-GET INSTALL -y x && RM -RF "
	      "/VAR/LIB/APT/LISTS/*", MB, 0);
	check("apt-lists", "RUN apt-get update", MB, 0);
}

static void npm_cache_should_want_a_clean(void **state)
{
	(void)state;
	check("npm-cache", "RUN npm install", MB, 1);
	check("npm-cache", "RUN npm ci --omit=dev", MB, 1);
	check("npm-cache", "RUN npm i", MB, 1);
	check("npm-cache", "RUN npm i express", MB, 1);
	check("npm-cache", "RUN npm ci && npm cache clean --force", MB, 0);
	check("npm-cache", "RUN npm run build", MB, 0);
	check("npm-cache", "RUN pnpm run build", MB, 0);
}

static void yarn_cache_should_want_a_clean(void **state)
{
	(void)state;
	check("yarn-cache", "RUN yarn install --frozen-lockfile", MB, 1);
	check("yarn-cache", "RUN yarn add left-pad", MB, 1);
	check("yarn-cache", "RUN yarn", MB, 1);
	check("yarn-cache", "RUN yarn && yarn build", MB, 1);
	check("yarn-cache", "RUN yarn --production", MB, 1);
	check("yarn-cache", "RUN yarn install && yarn cache clean", MB, 0);
	check("yarn-cache", "RUN yarn build", MB, 0);
}

static void apk_cache_should_want_no_cache(void **state)
{
	(void)state;
	check("apk-cache", "RUN apk add python3", MB, 1);
	check("apk-cache", "RUN apk update && apk add --virtual .b gcc", MB, 1);
	check("apk-cache", "RUN apk add --no-cache python3", MB, 0);
	check("apk-cache", "RUN apk add python3 && rm -rf /var/cache/apk/*",
	      MB, 0);
	check("apk-cache", "RUN apk del gcc", MB, 0);
}

static void yum_cache_should_want_clean_all(void **state)
{
	(void)state;
	check("yum-cache", "RUN yum install -y gcc", MB, 1);
	check("yum-cache", "RUN yum -y install gcc", MB, 1);
	check("yum-cache", "RUN dnf install -y gcc", MB, 1);
	check("yum-cache", "RUN microdnf install gcc", MB, 1);
	check("yum-cache", "RUN yum install -y gcc && yum clean all", MB, 0);
	check("yum-cache", "RUN dnf -y install gcc && dnf clean all", MB, 0);
	check("yum-cache", "RUN dnf install -y gcc && rm -rf /var/cache/dnf",
	      MB, 0);
	check("yum-cache", "RUN yum update -y", MB, 0);
}

static void whole_context_should_need_a_large_context_copy(void **state)
{
	(void)state;
	check("whole-context", "COPY . /app", 100 * MB, 1);
	check("whole-context", "COPY . .", 250 * MB, 1);
	check("whole-context", "ADD ./ /srv", 101 * MB, 1);
	check("whole-context", "COPY --chown=app:app . /app", 300 * MB, 1);
	check("whole-context", "COPY [\".\", \"/app\"]", 300 * MB, 1);
	/* the legacy builder and Buildah record the directory's hash */
	check("whole-context", "COPY dir:3c9498eb22eede24fb4d31c6a8395fbdc594"
	      "c2b66ddc8e81ebd91eb6ab7696ad in /app", 120 * MB, 1);
	/* small, or not the context */
	check("whole-context", "COPY . /app", 100 * MB - 1, 0);
	check("whole-context", "COPY src /app/src", 300 * MB, 0);
	check("whole-context", "COPY file:7027c779 in /bin/busybox",
	      300 * MB, 0);
	check("whole-context", "COPY --from=build /out .", 300 * MB, 0);
	check("whole-context", "COPY --from=build . /app", 300 * MB, 0);
	check("whole-context", "RUN cp -r . /app", 300 * MB, 0);
	/* the threshold is the caller's */
	assert_true(ds_hint_matches(ds_hint_find("whole-context"),
				    "COPY . /app", 2 * MB, 2 * MB));
	assert_false(ds_hint_matches(ds_hint_find("whole-context"),
				     "COPY . /app", 2 * MB, 2 * MB + 1));
}

static void hints_for_should_list_every_match_in_table_order(void **state)
{
	const struct ds_hint *out[8];
	size_t n;

	(void)state;
	n = ds_hints_for("RUN pip install torch && apt-get install -y git",
			 MB, CTX, out, 8);
	assert_int_equal(n, 3);
	assert_string_equal(out[0]->id, "cuda-wheels");
	assert_string_equal(out[1]->id, "pip-cache");
	assert_string_equal(out[2]->id, "apt-lists");
	assert_int_equal(ds_hints_for("RUN pip install torch", MB, CTX, out,
				      1), 1);
	assert_int_equal(ds_hints_for("RUN make", MB, CTX, out, 8), 0);
	assert_int_equal(ds_hints_for("", MB, CTX, out, 8), 0);
}

static void every_hint_should_be_tested_and_complete(void **state)
{
	const struct ds_hint *h;
	size_t i, n = 0;

	(void)state;
	for (h = ds_hints; h->id; h++, n++) {
		int found = 0;

		for (i = 0; tested[i]; i++)
			found |= strcmp(tested[i], h->id) == 0;
		if (!found)
			fail_msg("hint '%s' has no test case", h->id);
		assert_non_null(h->kinds);
		assert_non_null(h->text);
		assert_true(h->whole_context || h->when);
		/* one line, lower case first, no final period */
		assert_null(strchr(h->text, '\n'));
		assert_true(h->text[0] >= 'a' && h->text[0] <= 'z');
		assert_true(h->text[strlen(h->text) - 1] != '.');
	}
	for (i = 0; tested[i]; i++)
		assert_non_null(ds_hint_find(tested[i]));
	assert_int_equal(n, i);
	assert_null(ds_hint_find("no-such-hint"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cuda_wheels_should_match_gpu_builds),
		cmocka_unit_test(pip_cache_should_want_no_cache_dir),
		cmocka_unit_test(apt_lists_should_want_them_removed),
		cmocka_unit_test(npm_cache_should_want_a_clean),
		cmocka_unit_test(yarn_cache_should_want_a_clean),
		cmocka_unit_test(apk_cache_should_want_no_cache),
		cmocka_unit_test(yum_cache_should_want_clean_all),
		cmocka_unit_test(whole_context_should_need_a_large_context_copy),
		cmocka_unit_test(hints_for_should_list_every_match_in_table_order),
		cmocka_unit_test(every_hint_should_be_tested_and_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
