// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately buggy module for the harness self-test: a use-after-free in
 * module init that KASAN on the debug kernel must report, which must make
 * scripts/vm-run fail even though insmod itself succeeds.
 */
#include <linux/module.h>
#include <linux/slab.h>

static int __init uaf_init(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p[0] = 'k';
	kfree(p);
	pr_info("uaf: read after free: %d\n", READ_ONCE(p[0]));
	return 0;
}

static void __exit uaf_exit(void)
{
}

module_init(uaf_init);
module_exit(uaf_exit);
MODULE_DESCRIPTION("ktcp harness self-test: use-after-free");
MODULE_LICENSE("GPL");
