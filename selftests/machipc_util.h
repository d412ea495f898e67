/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the machipc selftests. Include after
 * kselftest_harness.h (they use its EXPECT/ASSERT macros).
 */
#ifndef MACHIPC_UTIL_H
#define MACHIPC_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach_debug/ipc_info.h>

/* ---- one 32-bit value through a pipe, between parent and child -------- */

static inline bool put(int fd, uint32_t v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v);
}

static inline bool get(int fd, uint32_t *v)
{
	size_t got = 0;

	while (got < sizeof(*v)) {
		ssize_t r = read(fd, (char *)v + got, sizeof(*v) - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += r;
	}
	return true;
}

/* ---- rights ----------------------------------------------------------- */

static inline mach_port_name_t new_right(struct __test_metadata *_metadata,
					 mach_port_right_t right)
{
	mach_port_name_t name = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), right, &name));
	ASSERT_TRUE(MACH_PORT_VALID(name));
	return name;
}

/* A new receive right, with no send rights. */
static inline mach_port_name_t new_receive(struct __test_metadata *_metadata)
{
	return new_right(_metadata, MACH_PORT_RIGHT_RECEIVE);
}

/* The type of `name` in `task`'s space, or 0xdead0000 + the error. */
static inline mach_port_type_t type_in(mach_port_t task, mach_port_name_t name)
{
	mach_port_type_t t = 0;
	kern_return_t kr = mach_port_type(task, name, &t);

	return kr == KERN_SUCCESS ? t : 0xdead0000U + (unsigned)kr;
}

/* The urefs of `right` under `name` in `task`'s space, or 0xdead0000 +
 * the error. */
static inline mach_port_urefs_t refs_in(mach_port_t task, mach_port_name_t name,
					mach_port_right_t right)
{
	mach_port_urefs_t r = 0;
	kern_return_t kr = mach_port_get_refs(task, name, right, &r);

	return kr == KERN_SUCCESS ? r : 0xdead0000U + (unsigned)kr;
}

/* ---- snapshots of our space, to check that a failed call changes nothing */

#define NAMES_MAX 256U

/* The space as mach_port_space_info reports it. */
struct snapshot {
	mach_msg_type_number_t count;
	ipc_info_name_t e[NAMES_MAX];
};

static inline void take_snapshot(struct __test_metadata *_metadata, struct snapshot *s)
{
	ipc_info_space_t info;
	ipc_info_name_array_t table = NULL;
	ipc_info_tree_name_array_t tree = NULL;
	mach_msg_type_number_t tcount = 0, treecount = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_port_space_info(mach_task_self(), &info, &table, &tcount,
						     &tree, &treecount));
	ASSERT_GE(NAMES_MAX, tcount);
	s->count = tcount;
	memcpy(s->e, table, tcount * sizeof(*table));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)table,
					      tcount * sizeof(*table)));
	if (tree)
		vm_deallocate(mach_task_self(), (vm_address_t)tree, treecount * sizeof(*tree));
}

static inline const ipc_info_name_t *snapshot_find(const struct snapshot *s,
						   mach_port_name_t name)
{
	mach_msg_type_number_t i;

	for (i = 0; i < s->count; i++)
		if (s->e[i].iin_name == name)
			return &s->e[i];
	return NULL;
}

/* Same names, with the same types and urefs. */
static inline void expect_same_snapshot(struct __test_metadata *_metadata,
					const struct snapshot *a, const struct snapshot *b,
					const char *what)
{
	mach_msg_type_number_t i;

	EXPECT_EQ(a->count, b->count)
		TH_LOG("%s changed the number of names", what);
	for (i = 0; i < a->count; i++) {
		const ipc_info_name_t *e = snapshot_find(b, a->e[i].iin_name);

		EXPECT_NE(NULL, e)
			TH_LOG("%s removed name 0x%x", what, a->e[i].iin_name);
		if (!e)
			continue;
		EXPECT_EQ(a->e[i].iin_type, e->iin_type)
			TH_LOG("%s changed the type of 0x%x", what, e->iin_name);
		EXPECT_EQ(a->e[i].iin_urefs, e->iin_urefs)
			TH_LOG("%s changed the urefs of 0x%x", what, e->iin_name);
	}
}

#endif /* MACHIPC_UTIL_H */
