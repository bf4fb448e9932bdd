/* The rules layer: default matrix and bands, rules files laid over them,
 * refusals of broken files with file:line, and the permission table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "carewatch/rules.h"
#include "carewatch/error.h"

static cw_rules *defaults(void)
{
	cw_rules *r = NULL;

	cr_assert_eq(cw_rules_load(&r, NULL), CW_OK, "default rules: %s", cw_errmsg());
	cr_assert_not_null(r);
	return r;
}

static cw_rules *from_text(const char *text)
{
	cw_rules *r = NULL;

	cr_assert_eq(cw_rules_load_string(&r, text, "test.cfg"), CW_OK,
		"rules should load: %s\n--- text:\n%s", cw_errmsg(), text);
	cr_assert_not_null(r);
	return r;
}

/* The file, read at run time from the source tree next to this test. */
static char *read_config(const char *name)
{
	char path[4096], *slash, *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s", __FILE__);
	slash = strrchr(path, '/');
	if (slash)
		slash[1] = '\0';
	else
		path[0] = '\0';
	strncat(path, "../config/", sizeof(path) - strlen(path) - 1);
	strncat(path, name, sizeof(path) - strlen(path) - 1);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A broken file: refused with CW_EINVALID, "test.cfg:LINE:" and `needle`. */
static void refused(const char *text, int line, const char *needle)
{
	cw_rules *r = NULL;
	char want[64];
	int err;

	cw_error_clear();
	err = cw_rules_load_string(&r, text, "test.cfg");
	cr_assert_eq(err, CW_EINVALID, "should be refused (got %d: %s):\n%s", err, cw_errmsg(), text);
	cr_assert_null(r, "no rules handed out on failure");
	if (line > 0)
		snprintf(want, sizeof(want), "test.cfg:%d:", line);
	else
		snprintf(want, sizeof(want), "test.cfg:");
	cr_assert_not_null(strstr(cw_errmsg(), want), "message '%s' should contain '%s'",
		cw_errmsg(), want);
	if (line < 0) {
		/* some line, whichever: "test.cfg:" followed by a number and ':' */
		const char *p = strstr(cw_errmsg(), "test.cfg:") + strlen("test.cfg:");
		char *end;
		long l = strtol(p, &end, 10);

		cr_assert(end != p && *end == ':' && l > 0, "message '%s' should name a line",
			cw_errmsg());
	}
	if (needle)
		cr_assert_not_null(strstr(cw_errmsg(), needle), "message '%s' should mention '%s'",
			cw_errmsg(), needle);
}

Test(rules, defaults_load)
{
	cw_rules *r = defaults();

	cr_assert_eq(cw_rules_likelihood_max(r), 4);
	cr_assert_eq(cw_rules_impact_max(r), 4);
	cr_assert_eq(cw_rules_int(r, "flags.repeated_concerns.count"), 3);
	cr_assert_eq(cw_rules_int(r, "flags.repeated_concerns.days"), 90);
	cr_assert_eq(cw_rules_int(r, "flags.large_scale_pova.count"), 5);
	cr_assert_eq(cw_rules_int(r, "flags.large_scale_pova.days"), 365);
	cr_assert_eq(cw_rules_review_days(r, CW_BAND_RED), 28);
	cr_assert_eq(cw_rules_review_days(r, CW_BAND_AMBER), 42);
	cr_assert_eq(cw_rules_review_days(r, CW_BAND_YELLOW), 84);
	cr_assert_eq(cw_rules_review_days(r, CW_BAND_NONE), 0);
	cr_assert_str_eq(cw_rules_string(r, "decision_role"), "director");
	cr_assert_eq(cw_rules_int(r, "closure.likelihood_drop"), 1);
	cr_assert_not(cw_rules_bool(r, "embargo.honour_other_commissioners"));
	cr_assert_eq(cw_rules_guard(r, "close_no_red"), CW_MUST, "guards default to must");
	cr_assert_eq(cw_rules_guard(r, "decision_role"), CW_MUST);
	cw_rules_free(r);
}

/* The same as the default: an empty user file changes nothing. */
Test(rules, empty_file_is_the_default)
{
	cw_rules *r = from_text("");

	cr_assert_eq(cw_rules_likelihood_max(r), 4);
	cr_assert_eq(cw_rules_band(r, 16), CW_BAND_RED);
	cw_rules_free(r);
}

Test(rules, default_matrix_all_cells)
{
	cw_rules *r = defaults();
	int l, i;

	for (l = 1; l <= 4; l++)
		for (i = 1; i <= 4; i++) {
			int s = cw_rules_score(l, i);
			cw_band want = s <= 3 ? CW_BAND_GREEN : s <= 6 ? CW_BAND_YELLOW
				: s <= 9 ? CW_BAND_AMBER : CW_BAND_RED;

			cr_assert_eq(s, l * i, "score of %d x %d", l, i);
			cr_assert_eq(cw_rules_band(r, s), want, "%d x %d = %d is %s, not %s", l, i, s,
				cw_band_name(cw_rules_band(r, s)), cw_band_name(want));
		}
	/* the band edges of SPEC §2 */
	cr_assert_eq(cw_rules_band(r, 1), CW_BAND_GREEN);
	cr_assert_eq(cw_rules_band(r, 3), CW_BAND_GREEN);
	cr_assert_eq(cw_rules_band(r, 4), CW_BAND_YELLOW);
	cr_assert_eq(cw_rules_band(r, 6), CW_BAND_YELLOW);
	cr_assert_eq(cw_rules_band(r, 8), CW_BAND_AMBER);
	cr_assert_eq(cw_rules_band(r, 9), CW_BAND_AMBER);
	cr_assert_eq(cw_rules_band(r, 12), CW_BAND_RED);
	cr_assert_eq(cw_rules_band(r, 16), CW_BAND_RED);
	cr_assert_eq(cw_rules_band(r, 0), CW_BAND_NONE);
	cr_assert_eq(cw_rules_band(r, 17), CW_BAND_NONE);
	cw_rules_free(r);
}

Test(rules, band_names)
{
	cw_band b;

	cr_assert_str_eq(cw_band_name(CW_BAND_GREEN), "green");
	cr_assert_str_eq(cw_band_name(CW_BAND_YELLOW), "yellow");
	cr_assert_str_eq(cw_band_name(CW_BAND_AMBER), "amber");
	cr_assert_str_eq(cw_band_name(CW_BAND_RED), "red");
	cr_assert_null(cw_band_name(CW_BAND_NONE));
	cr_assert_eq(cw_band_parse("amber", &b), CW_OK);
	cr_assert_eq(b, CW_BAND_AMBER);
	cr_assert_eq(cw_band_parse("purple", &b), CW_EINVALID);
	cr_assert_eq(cw_band_parse(NULL, &b), CW_EINVALID);
}

Test(rules, labels)
{
	cw_rules *r = defaults();

	cr_assert_str_eq(cw_rules_likelihood_label(r, 1), "Unlikely");
	cr_assert_str_eq(cw_rules_likelihood_label(r, 2), "Possible");
	cr_assert_str_eq(cw_rules_likelihood_label(r, 3), "Likely");
	cr_assert_str_eq(cw_rules_likelihood_label(r, 4), "Almost certain");
	cr_assert_str_eq(cw_rules_impact_label(r, 1), "Insignificant");
	cr_assert_str_eq(cw_rules_impact_label(r, 2), "Minor");
	cr_assert_str_eq(cw_rules_impact_label(r, 3), "Moderate");
	cr_assert_str_eq(cw_rules_impact_label(r, 4), "Major");
	cr_assert_null(cw_rules_likelihood_label(r, 0));
	cr_assert_null(cw_rules_likelihood_label(r, 5));
	cr_assert_null(cw_rules_impact_label(r, 0));
	cr_assert_null(cw_rules_impact_label(r, 5));
	cw_rules_free(r);
}

Test(rules, check_ranges)
{
	cw_rules *r = defaults();

	cr_assert_eq(cw_rules_check_likelihood(r, 0), CW_EINVALID);
	cr_assert_eq(cw_rules_check_likelihood(r, 5), CW_EINVALID);
	cr_assert_eq(cw_rules_check_likelihood(r, -1), CW_EINVALID);
	cr_assert_eq(cw_rules_check_likelihood(r, 1), CW_OK);
	cr_assert_eq(cw_rules_check_likelihood(r, 4), CW_OK);
	cr_assert_eq(cw_rules_check_impact(r, 0), CW_EINVALID);
	cr_assert_eq(cw_rules_check_impact(r, 5), CW_EINVALID);
	cr_assert_eq(cw_rules_check_impact(r, 4), CW_OK);
	cw_error_clear();
	cr_assert_eq(cw_rules_check_likelihood(r, 5), CW_EINVALID);
	cr_assert_not_null(strstr(cw_errmsg(), "5"), "message names the value: %s", cw_errmsg());
	cw_rules_free(r);
}

Test(rules, nhs_5x5_file)
{
	char *text = read_config("nhs-5x5.cfg");
	cw_rules *r = from_text(text);

	cr_assert_eq(cw_rules_likelihood_max(r), 5);
	cr_assert_eq(cw_rules_impact_max(r), 5);
	cr_assert_eq(cw_rules_check_likelihood(r, 5), CW_OK);
	cr_assert_eq(cw_rules_check_impact(r, 5), CW_OK);
	cr_assert_eq(cw_rules_check_likelihood(r, 6), CW_EINVALID);
	cr_assert_eq(cw_rules_band(r, cw_rules_score(5, 5)), CW_BAND_RED, "25 is red");
	cr_assert_eq(cw_rules_band(r, cw_rules_score(5, 3)), CW_BAND_RED, "15 is red");
	cr_assert_eq(cw_rules_band(r, cw_rules_score(4, 3)), CW_BAND_AMBER, "12 is amber");
	cr_assert_eq(cw_rules_band(r, cw_rules_score(5, 1)), CW_BAND_YELLOW, "5 is yellow");
	cr_assert_eq(cw_rules_band(r, 10), CW_BAND_AMBER);
	cr_assert_eq(cw_rules_band(r, 20), CW_BAND_RED);
	cr_assert_str_eq(cw_rules_likelihood_label(r, 1), "Rare");
	cr_assert_str_eq(cw_rules_impact_label(r, 5), "Catastrophic");
	/* everything the file does not name keeps its default */
	cr_assert_eq(cw_rules_int(r, "flags.repeated_concerns.count"), 3);
	cr_assert_str_eq(cw_rules_string(r, "decision_role"), "director");
	cw_rules_free(r);
	free(text);
}

/* Every cell of the loaded NHS matrix falls in a band. */
Test(rules, nhs_5x5_every_cell_banded)
{
	char *text = read_config("nhs-5x5.cfg");
	cw_rules *r = from_text(text);
	int l, i;

	for (l = 1; l <= 5; l++)
		for (i = 1; i <= 5; i++)
			cr_assert_neq(cw_rules_band(r, l * i), CW_BAND_NONE, "%d x %d", l, i);
	cw_rules_free(r);
	free(text);
}

/* The shipped default file is what the program compiles in. */
Test(rules, shipped_default_file_loads_as_override)
{
	char *text = read_config("carewatch.cfg");
	cw_rules *r = from_text(text);

	cr_assert_eq(cw_rules_likelihood_max(r), 4);
	cr_assert_eq(cw_rules_band(r, 9), CW_BAND_AMBER);
	cw_rules_free(r);
	free(text);
}

Test(rules, partial_file_changes_only_what_it_names)
{
	cw_rules *r = from_text("flags = { repeated_concerns = { count = 4; }; };\n");
	int l, i;

	cr_assert_eq(cw_rules_int(r, "flags.repeated_concerns.count"), 4);
	cr_assert_eq(cw_rules_int(r, "flags.repeated_concerns.days"), 90);
	cr_assert_eq(cw_rules_int(r, "flags.large_scale_pova.count"), 5);
	cr_assert_eq(cw_rules_likelihood_max(r), 4);
	for (l = 1; l <= 4; l++)
		for (i = 1; i <= 4; i++) {
			int s = l * i;
			cw_band want = s <= 3 ? CW_BAND_GREEN : s <= 6 ? CW_BAND_YELLOW
				: s <= 9 ? CW_BAND_AMBER : CW_BAND_RED;

			cr_assert_eq(cw_rules_band(r, s), want, "score %d", s);
		}
	cr_assert(cw_rules_may(r, "director", "case.decide"));
	cw_rules_free(r);
}

Test(rules, refuses_syntax_error_with_line)
{
	refused("# a comment\n"
		"flags = {\n"
		"  repeated_concerns = { count = ; };\n"
		"};\n", 3, NULL);
	refused("flags = {\n  repeated_concerns = { count = 4; }\n\n  large_scale_pova = { count = 5 };\n};\n"
		"}\n", 6, NULL);
	refused("closure = {\n  likelihood_drop = 1;\n};\n\n\ndecision_role = \"director\"\n"
		"bands = ;\n", 7, NULL);
}

Test(rules, refuses_unknown_setting)
{
	refused("\ncolour = 1;\n", 2, "colour");
	refused("flags = {\n  repeated_concerns = { count = 4; weeks = 2; };\n};\n", 2, "weeks");
}

Test(rules, refuses_wrong_type)
{
	refused("closure = { likelihood_drop = \"x\"; };\n", 1, "closure.likelihood_drop");
	refused("\n\nflags = 3;\n", 3, "flags");
	refused("embargo = { honour_other_commissioners = 1; };\n", 1, NULL);
	refused("matrix = { likelihood = [ 1, 2, 3 ]; };\n", 1, NULL);
	refused("decision_role = [ \"director\" ];\n", 1, NULL);
}

Test(rules, refuses_bad_guard_strength)
{
	refused("guards = {\n  close_no_red = \"maybe\";\n};\n", 2, "close_no_red");
}

Test(rules, should_strength_read_back)
{
	cw_rules *r = from_text("guards = { close_no_red = \"should\"; };\n");

	cr_assert_eq(cw_rules_guard(r, "close_no_red"), CW_SHOULD);
	cr_assert_eq(cw_rules_guard(r, "close_partner_agreement"), CW_MUST,
		"other guards keep their default");
	cw_rules_free(r);
}

Test(rules, refuses_band_gap)
{
	/* amber 10-11 leaves 8 and 9 (2x4, 3x3, ...) in no band */
	refused("\nbands = {\n  amber = { min = 10; max = 11; };\n};\n", -1, "8");
	/* min above max */
	refused("bands = {\n  amber = { min = 10; };\n};\n", 2, "amber");
	/* a 5x5 matrix with the 4x4 bands: 5, 10, 15, 20, 25 are not covered */
	refused("matrix = {\n"
		"  likelihood = [ \"a\", \"b\", \"c\", \"d\", \"e\" ];\n"
		"  impact = [ \"a\", \"b\", \"c\", \"d\", \"e\" ];\n"
		"};\n", -1, "5");
}

Test(rules, refuses_overlapping_bands)
{
	/* the band that moves is in the file */
	refused("bands = {\n  yellow = { min = 3; max = 6; };\n};\n", 2, "overlap");
	refused("bands = {\n  red = { min = 9; max = 16; };\n};\n", 2, "overlap");
}

/*
 * SPEC §11: a bad rules file is refused "with the file, line and reason".
 * Here the file only raises green's max into yellow: the overlap is the
 * file's doing, so the message must point into the file.
 */
Test(rules, overlap_caused_by_lower_band_names_a_line)
{
	refused("\n\nbands = {\n  green = { min = 1; max = 5; };\n};\n", -1, "overlap");
}

Test(rules, refuses_unknown_permission)
{
	refused("permissions = {\n  viewer = [ \"concern.write\", \"launch.missiles\" ];\n};\n",
		2, "launch.missiles");
}

Test(rules, refuses_unknown_decision_role)
{
	refused("\ndecision_role = \"chief\";\n", 2, "chief");
}

Test(rules, refuses_one_label_matrix)
{
	refused("matrix = {\n  likelihood = [ \"Only\" ];\n};\n", 2, "likelihood");
	refused("matrix = {\n  impact = [ ];\n};\n", 2, "impact");
	refused("matrix = {\n  impact = [ \"a\", \"\" ];\n};\n", 2, "impact");
}

Test(rules, refuses_out_of_range_numbers)
{
	refused("flags = {\n  repeated_concerns = { count = 0; };\n};\n", 2, "count");
	refused("review_days = {\n  red = -1;\n};\n", 2, "red");
	refused("closure = {\n  likelihood_drop = 4;\n};\n", 2, "likelihood_drop");
}

Test(rules, file_that_cannot_be_read)
{
	cw_rules *r = NULL;

	cr_assert_eq(cw_rules_load(&r, "/nonexistent/carewatch-rules.cfg"), CW_EINVALID);
	cr_assert_null(r);
	cr_assert_not_null(strstr(cw_errmsg(), "/nonexistent/carewatch-rules.cfg"));
}

/*
 * A directory is not a rules file: refuse it like any unreadable file.
 * (libconfig's scanner, handed a directory, prints "input in flex scanner
 * failed" and calls exit(2) from inside the library.)
 */
Test(rules, directory_is_not_a_rules_file)
{
	cw_rules *r = NULL;

	cw_error_clear();
	cr_assert_eq(cw_rules_load(&r, "/tmp"), CW_EINVALID);
	cr_assert_null(r);
	cr_assert_not_null(strstr(cw_errmsg(), "/tmp"), "%s", cw_errmsg());
}

static const char *const all_perms[] = {
	"provider.write", "concern.write", "concern.pova", "concern.positive",
	"case.open", "case.escalate", "case.deescalate", "case.close",
	"case.decide", "action.write", "meeting.write", "placement.write",
	"task.write", "letter.write", "qa.record", "user.write",
	"commissioner.write", "import.run", "rules.write", "confidential.read",
	NULL
};

Test(rules, default_permissions)
{
	cw_rules *r = defaults();
	const char *const *p;

	/* contracts: providers, concerns, cases short of the decision, actions... */
	cr_assert(cw_rules_may(r, "contracts", "provider.write"));
	cr_assert(cw_rules_may(r, "contracts", "concern.write"));
	cr_assert(cw_rules_may(r, "contracts", "case.open"));
	cr_assert(cw_rules_may(r, "contracts", "case.escalate"));
	cr_assert(cw_rules_may(r, "contracts", "case.deescalate"));
	cr_assert(cw_rules_may(r, "contracts", "case.close"));
	cr_assert(cw_rules_may(r, "contracts", "action.write"));
	cr_assert(cw_rules_may(r, "contracts", "meeting.write"));
	cr_assert(cw_rules_may(r, "contracts", "placement.write"));
	cr_assert(cw_rules_may(r, "contracts", "task.write"));
	cr_assert(cw_rules_may(r, "contracts", "letter.write"));
	cr_assert_not(cw_rules_may(r, "contracts", "case.decide"));
	cr_assert_not(cw_rules_may(r, "contracts", "confidential.read"));
	cr_assert_not(cw_rules_may(r, "contracts", "concern.pova"));
	cr_assert_not(cw_rules_may(r, "contracts", "user.write"));
	/* director: everything contracts may, plus the decisions and confidential */
	for (p = all_perms; *p; p++)
		if (cw_rules_may(r, "contracts", *p))
			cr_assert(cw_rules_may(r, "director", *p), "director lacks %s", *p);
	cr_assert(cw_rules_may(r, "director", "case.decide"));
	cr_assert(cw_rules_may(r, "director", "confidential.read"));
	cr_assert_not(cw_rules_may(r, "director", "user.write"));
	/* safeguarding */
	cr_assert(cw_rules_may(r, "safeguarding", "confidential.read"));
	cr_assert(cw_rules_may(r, "safeguarding", "concern.pova"));
	cr_assert(cw_rules_may(r, "safeguarding", "concern.write"));
	cr_assert(cw_rules_may(r, "safeguarding", "case.open"));
	cr_assert(cw_rules_may(r, "safeguarding", "case.escalate"));
	cr_assert(cw_rules_may(r, "safeguarding", "meeting.write"));
	cr_assert_not(cw_rules_may(r, "safeguarding", "case.decide"));
	cr_assert_not(cw_rules_may(r, "safeguarding", "case.close"));
	cr_assert_not(cw_rules_may(r, "safeguarding", "provider.write"));
	/* qa */
	cr_assert(cw_rules_may(r, "qa", "qa.record"));
	cr_assert(cw_rules_may(r, "qa", "concern.write"));
	cr_assert(cw_rules_may(r, "qa", "concern.positive"));
	cr_assert_not(cw_rules_may(r, "qa", "provider.write"));
	cr_assert_not(cw_rules_may(r, "qa", "confidential.read"));
	/* admin alone does not grant the casework roles */
	cr_assert(cw_rules_may(r, "admin", "user.write"));
	cr_assert(cw_rules_may(r, "admin", "commissioner.write"));
	cr_assert(cw_rules_may(r, "admin", "import.run"));
	cr_assert(cw_rules_may(r, "admin", "rules.write"));
	cr_assert_not(cw_rules_may(r, "admin", "concern.write"));
	cr_assert_not(cw_rules_may(r, "admin", "case.open"));
	cr_assert_not(cw_rules_may(r, "admin", "case.decide"));
	cr_assert_not(cw_rules_may(r, "admin", "confidential.read"));
	/* viewer: nothing; unknown roles and no roles: nothing */
	for (p = all_perms; *p; p++) {
		cr_assert_not(cw_rules_may(r, "viewer", *p), "viewer may %s", *p);
		cr_assert_not(cw_rules_may(r, "", *p));
		cr_assert_not(cw_rules_may(r, NULL, *p));
		cr_assert_not(cw_rules_may(r, "nobody", *p));
	}
	/* several roles: the union */
	cr_assert(cw_rules_may(r, "qa,contracts", "provider.write"));
	cr_assert(cw_rules_may(r, "qa,contracts", "qa.record"));
	cr_assert_not(cw_rules_may(r, "qa,contracts", "case.decide"));
	cr_assert(cw_rules_may(r, "viewer,admin", "user.write"));
	/* a role is a whole word, not a prefix */
	cr_assert_not(cw_rules_may(r, "direct", "case.decide"));
	cr_assert_not(cw_rules_may(r, "directors", "case.decide"));
	cw_rules_free(r);
}

Test(rules, roles_known)
{
	cw_rules *r = defaults();

	cr_assert(cw_rules_role_known(r, "contracts"));
	cr_assert(cw_rules_role_known(r, "safeguarding"));
	cr_assert(cw_rules_role_known(r, "director"));
	cr_assert(cw_rules_role_known(r, "qa"));
	cr_assert(cw_rules_role_known(r, "admin"));
	cr_assert(cw_rules_role_known(r, "viewer"));
	cr_assert_not(cw_rules_role_known(r, "root"));
	cr_assert_not(cw_rules_role_known(r, ""));
	cr_assert_not(cw_rules_role_known(r, NULL));
	cw_rules_free(r);
}

Test(rules, permissions_overridden_by_file)
{
	cw_rules *r = from_text("permissions = {\n  viewer = [ \"concern.write\" ];\n};\n");

	cr_assert(cw_rules_may(r, "viewer", "concern.write"));
	cr_assert_not(cw_rules_may(r, "viewer", "case.open"));
	/* the other roles keep theirs */
	cr_assert(cw_rules_may(r, "contracts", "provider.write"));
	cr_assert(cw_rules_may(r, "director", "case.decide"));
	cr_assert(cw_rules_may(r, "admin", "user.write"));
	cw_rules_free(r);

	/* lists are replaced whole: contracts loses what the new list omits */
	r = from_text("permissions = { contracts = [ \"concern.write\" ]; };\n");
	cr_assert(cw_rules_may(r, "contracts", "concern.write"));
	cr_assert_not(cw_rules_may(r, "contracts", "provider.write"));
	cw_rules_free(r);
}

Test(rules, to_json_keys)
{
	cw_rules *r = defaults();
	json_t *j = cw_rules_to_json(r), *grid;

	cr_assert_not_null(j);
	cr_assert(json_is_object(json_object_get(j, "matrix")));
	cr_assert(json_is_object(json_object_get(j, "bands")));
	cr_assert(json_is_object(json_object_get(j, "permissions")));
	cr_assert(json_is_object(json_object_get(j, "flags")));
	cr_assert(json_is_object(json_object_get(j, "guards")));
	cr_assert_eq(json_array_size(json_object_get(json_object_get(j, "matrix"), "likelihood")), 4);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(
		json_object_get(j, "bands"), "red"), "min")), 12);
	grid = json_object_get(json_object_get(j, "matrix"), "grid");
	cr_assert_eq(json_array_size(grid), 4);
	/* first row is the highest likelihood: 4 x 4 = 16 red in the last cell */
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_array_get(grid, 0), 3),
		"score")), 16);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_array_get(grid, 0), 3),
		"band")), "red");
	json_decref(j);
	cw_rules_free(r);
}

Test(rules, to_text_round_trips)
{
	cw_rules *r = from_text("flags = { repeated_concerns = { count = 7; }; };\n"
		"permissions = { viewer = [ \"concern.write\" ]; };\n");
	char *text = cw_rules_to_text(r);
	cw_rules *again = from_text(text);

	cr_assert_eq(cw_rules_int(again, "flags.repeated_concerns.count"), 7);
	cr_assert(cw_rules_may(again, "viewer", "concern.write"));
	free(text);
	cw_rules_free(again);
	cw_rules_free(r);
}

/* The rating object `risk score` prints comes from the rules layer. */
Test(rules, rating_on_the_matrix_in_force)
{
	cw_rules *r = NULL;
	json_t *o = NULL;

	cr_assert_eq(cw_rules_load(&r, NULL), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(cw_rules_rating(r, 3, 4, &o), CW_OK, "%s", cw_errmsg());
	cr_assert_eq(json_integer_value(json_object_get(o, "score")), 12);
	cr_assert_str_eq(json_string_value(json_object_get(o, "band")), "red");
	cr_assert_str_eq(json_string_value(json_object_get(o, "impact_label")), "Major");
	json_decref(o);
	cr_assert_eq(cw_rules_rating(r, 3, 5, &o), CW_EINVALID);
	cr_assert_str_eq(cw_error_field(), "impact");
	cw_rules_free(r);
}
