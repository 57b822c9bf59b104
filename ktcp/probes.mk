# SPDX-License-Identifier: GPL-2.0
# Feature probes of the target tree (see compat.h): grep, not versions.
# Included by ktcp/Kbuild and kunit/Kbuild, so that the suites see the
# same compat.h as the module they test.
comma := ,
ktcp_probe = $(shell grep -qsE '$(2)' $(srctree)/$(1) && echo -D$(3))

ccflags-y += $(call ktcp_probe,include/linux/timer.h,define timer_container_of,KTCP_HAVE_TIMER_CONTAINER_OF)
ccflags-y += $(call ktcp_probe,include/linux/random.h,get_random_u32_below,KTCP_HAVE_GET_RANDOM_U32_BELOW)
ccflags-y += $(call ktcp_probe,include/net/sock.h,int \*karg,KTCP_HAVE_IOCTL_KARG)
ccflags-y += $(call ktcp_probe,include/linux/net.h,struct proto_accept_arg,KTCP_HAVE_PROTO_ACCEPT_ARG)
ccflags-y += $(call ktcp_probe,include/net/inet_sock.h,atomic_t[[:space:]]+inet_id,KTCP_HAVE_ATOMIC_INET_ID)
ccflags-y += $(call ktcp_probe,include/net/sock.h,int flags$(comma) int \*addr_len,KTCP_HAVE_RECVMSG_ADDR_LEN)
ccflags-y += $(call ktcp_probe,include/net/net_namespace.h,register_net_sysctl_sz,KTCP_HAVE_REGISTER_NET_SYSCTL_SZ)
ccflags-y += $(call ktcp_probe,include/net/sock.h,struct sockaddr_unsized,KTCP_HAVE_SOCKADDR_UNSIZED)
ccflags-y += $(call ktcp_probe,include/net/sock.h,inline kuid_t sk_uid,KTCP_HAVE_SK_UID)
ccflags-y += $(call ktcp_probe,include/net/gso.h,gso_make_checksum,KTCP_HAVE_NET_GSO_H)
ccflags-y += $(call ktcp_probe,include/net/proto_memory.h,sk_under_memory_pressure,KTCP_HAVE_PROTO_MEMORY_H)
ccflags-y += $(call ktcp_probe,include/linux/sysctl.h,typedef int proc_handler.const struct ctl_table,KTCP_HAVE_CONST_CTL_TABLE)
ccflags-y += $(call ktcp_probe,include/net/inet_sock.h,define inet_test_bit,KTCP_HAVE_INET_TEST_BIT)
ccflags-y += $(call ktcp_probe,include/linux/skbuff.h,uarg$(comma) bool devmem,KTCP_HAVE_ZEROCOPY_DEVMEM)
ccflags-y += $(call ktcp_probe,include/linux/net.h,SOCK_CUSTOM_SOCKOPT,KTCP_HAVE_CUSTOM_SOCKOPT)
ccflags-y += $(call ktcp_probe,include/linux/skbuff_ref.h,skb_frag_unref,KTCP_HAVE_SKBUFF_REF_H)
ccflags-y += $(call ktcp_probe,include/linux/skbuff.h,ssize_t skb_splice_from_iter,KTCP_HAVE_SKB_SPLICE_FROM_ITER)
ccflags-y += $(call ktcp_probe,include/linux/skbuff.h,ssize_t maxsize$(comma) gfp_t gfp,KTCP_HAVE_SPLICE_FROM_ITER_GFP)
ccflags-y += $(call ktcp_probe,include/linux/net.h,[*]sendpage.[[:space:]]*.struct socket,KTCP_HAVE_PROTO_SENDPAGE)
