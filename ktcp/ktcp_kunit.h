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
/* Without KUnit: no export, only a check that the symbol exists. */
#define EXPORT_SYMBOL_IF_KUNIT(sym) static_assert(!__same_type(sym, void))
#endif

#endif /* _KTCP_KUNIT_H */
