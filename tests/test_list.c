/* Comma-separated lists: the one reader of roles, permissions and organisations. */
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/buf.h"

Test(list, has_exact_items_only)
{
	cr_assert(cw_list_has("contracts,qa", "qa"));
	cr_assert(cw_list_has("contracts, qa ", "qa"), "blanks around an item are trimmed");
	cr_assert(cw_list_has("contracts,qa", "contracts"));
	cr_assert_not(cw_list_has("contracts,qa", "contract"), "a prefix is not an item");
	cr_assert_not(cw_list_has("contracts,qa", "a"));
	cr_assert_not(cw_list_has("", "qa"));
	cr_assert_not(cw_list_has(NULL, "qa"));
}

Test(list, next_walks_every_item)
{
	const char *p = " A , b,,C", *it;
	const char *want[] = { "A", "b", "", "C" };
	size_t n, i = 0;

	while (p) {
		p = cw_list_next(p, &it, &n);
		cr_assert_lt(i, 4);
		cr_assert_eq(n, strlen(want[i]), "item %zu", i);
		cr_assert_eq(memcmp(it, want[i], n), 0, "item %zu", i);
		i++;
	}
	cr_assert_eq(i, 4);
}

Test(list, json_skips_empty_items)
{
	json_t *a = cw_list_json("contracts,,qa");

	cr_assert_eq(json_array_size(a), 2);
	cr_assert_str_eq(json_string_value(json_array_get(a, 1)), "qa");
	json_decref(a);
}
