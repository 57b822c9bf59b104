/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symbols the KUnit suites (kunit/) call are exported only in kernels built
 * with KUnit, under the EXPORTED_FOR_KUNIT_TESTING namespace.
 */
#ifndef _KTCP_KUNIT_H
#define _KTCP_KUNIT_H

#include <linux/module.h>
#if IS_ENABLED(CONFIG_KUNIT)
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#else
/* Without KUnit no test replaces a function: a call goes where it says. */
#define KUNIT_STATIC_STUB_REDIRECT(...) do { } while (0)
#endif

#ifndef EXPORT_SYMBOL_IF_KUNIT
/*
 * Without KUnit: no export.  A declaration still, for the semicolon after
 * it; nothing that looks at @sym, which made sparse read the function
 * body twice and fail on its per-CPU counters.
 */
#define EXPORT_SYMBOL_IF_KUNIT(sym) static_assert(1, "for KUnit: " #sym)
#endif

#endif /* _KTCP_KUNIT_H */
