/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/module.h>: nothing is exported. */
#ifndef _KTCP_FUZZ_LINUX_MODULE_H
#define _KTCP_FUZZ_LINUX_MODULE_H

/* No KUnit in user space. */
#define IS_ENABLED(option) 0
#define EXPORT_SYMBOL_IF_KUNIT(sym) _Static_assert(1, #sym)

#endif
