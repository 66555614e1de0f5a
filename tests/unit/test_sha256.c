/*
 * test_sha256.c: module/sha256.c, on FIPS 180-4's examples, the padding
 * and block boundaries, and the context directory name the docker CLI
 * derives from a context's name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"

/* Hash a C string to hex. */
static const char *hash_of(const char *s)
{
	static char hex[65];

	ds_sha256_hex(s, strlen(s), hex);
	return hex;
}

/* FIPS 180-4 example: the empty message. */
static void sha256_should_hash_empty_message(void **state)
{
	(void)state;
	assert_string_equal(hash_of(""),
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* FIPS 180-4 example: "abc", one block. */
static void sha256_should_hash_abc(void **state)
{
	(void)state;
	assert_string_equal(hash_of("abc"),
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* FIPS 180-4 example: the 448-bit message, which pads into two blocks. */
static void sha256_should_hash_448_bit_message(void **state)
{
	(void)state;
	assert_string_equal(
		hash_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The context directory the CLI made for "probe-ctx" (printf probe-ctx | sha256sum). */
static void sha256_should_name_probe_context_directory(void **state)
{
	const char *hex;

	(void)state;
	hex = hash_of("probe-ctx");
	assert_int_equal(strncmp(hex, "f966a422", 8), 0);
	assert_string_equal(hex,
		"f966a42244554f95032b100cf495e377efa027c50bea1f6eaff8e453564f68b2");
}

/* Lengths around the padding and block boundaries, and a million 'a's. */
static void sha256_should_hash_block_boundaries(void **state)
{
	static const struct { size_t len; const char *hex; } cases[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
		{ 128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e" },
		{ 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	};
	char hex[65];
	char *a = malloc(1000000);
	size_t i;

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ds_sha256_hex(a, cases[i].len, hex);
		assert_string_equal(hex, cases[i].hex);
	}
	free(a);
}

DS_TEST_MAIN(
	cmocka_unit_test(sha256_should_hash_empty_message),
	cmocka_unit_test(sha256_should_hash_abc),
	cmocka_unit_test(sha256_should_hash_448_bit_message),
	cmocka_unit_test(sha256_should_name_probe_context_directory),
	cmocka_unit_test(sha256_should_hash_block_boundaries))
