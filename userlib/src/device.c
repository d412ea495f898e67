// SPDX-License-Identifier: MIT
/*
 * The process's /dev/mach descriptor.
 *
 * A task belongs to one process: the module refuses (EPERM) ioctls from
 * any other process on the same open file. So a forked child drops the
 * inherited descriptor (pthread_atfork) and opens its own on first use.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <dirent.h>
#include <stdio.h>

#include "internal.h"

static pthread_mutex_t dev_lock = PTHREAD_MUTEX_INITIALIZER;
static int dev_fd = -1;
static int cloexec = -1; /* -1: not decided yet, read MACHIPC_CLOEXEC */
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
/* Set in a forked child: descriptors it inherited are the program's own
 * business (only ours is dropped); the scan below is for a fresh image. */
static int forked;

static void after_fork_child(void)
{
	/* The inherited descriptor is the parent's task: not ours. */
	if (dev_fd >= 0)
		close(dev_fd);
	dev_fd = -1;
	forked = 1;
	pthread_mutex_init(&dev_lock, NULL);
	/* The child is a new task: its own self ports. */
	machipc_init_self();
}

static void register_atfork(void)
{
	pthread_atfork(NULL, NULL, after_fork_child);
}

void machipc_set_cloexec(int on)
{
	pthread_mutex_lock(&dev_lock);
	cloexec = !!on;
	pthread_mutex_unlock(&dev_lock);
}

kern_return_t machipc_errno_to_kr(int err)
{
	switch (err) {
	case 0:
		return KERN_SUCCESS;
	case EFAULT:
		return KERN_INVALID_ADDRESS;
	case ENOMEM:
		return KERN_RESOURCE_SHORTAGE;
	case EINVAL:
		return KERN_INVALID_ARGUMENT;
	case ENOTTY:
		return KERN_NOT_SUPPORTED;
	default:
		return KERN_FAILURE;
	}
}

static int open_device(void)
{
	struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };
	int flags = O_RDWR;
	int fd, err = 0;

	if (cloexec < 0) {
		const char *e = getenv("MACHIPC_CLOEXEC");
		cloexec = e && strcmp(e, "0") != 0;
	}
	if (cloexec)
		flags |= O_CLOEXEC;
	fd = open(MACHIPC_DEVICE, flags);
	if (fd < 0)
		return -1;
	if (ioctl(fd, MACHIPC_IOC_VERSION, &v) < 0)
		err = errno;
	else if (!v.compatible)
		err = EPROTO;
	if (err) {
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * At the start of a new image: descriptors of /dev/mach inherited from
 * another process (a parent that spawned us without fork handlers
 * running) belong to its task: the module refuses them (EPERM), and
 * keeping them would keep that task alive. Close them. Our own, kept
 * across exec, still work: keep them.
 */
static void drop_foreign_descriptors(int keep)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[64], target[64];
		struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };
		int fd = atoi(de->d_name);
		ssize_t n;

		if (fd == keep || fd == dirfd(d) || de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (strcmp(target, MACHIPC_DEVICE) == 0 &&
		    ioctl(fd, MACHIPC_IOC_VERSION, &v) < 0 && errno == EPERM)
			close(fd);
	}
	closedir(d);
}

int machipc_ioctl_value(unsigned long cmd, const void *arg)
{
	int fd = machipc_fd(), r;

	if (fd < 0)
		return -(errno ? errno : ENODEV);
	r = ioctl(fd, cmd, arg);
	return r < 0 ? -errno : r;
}

int machipc_ioctl(unsigned long cmd, void *arg)
{
	int r = machipc_ioctl_value(cmd, arg);

	return r < 0 ? -r : 0;
}

int machipc_fd(void)
{
	int fd;

	pthread_once(&atfork_once, register_atfork);
	pthread_mutex_lock(&dev_lock);
	if (dev_fd < 0) {
		dev_fd = open_device();
		if (dev_fd >= 0 && !forked)
			drop_foreign_descriptors(dev_fd);
	}
	fd = dev_fd;
	pthread_mutex_unlock(&dev_lock);
	return fd;
}

kern_return_t machipc_abi_version(uint32_t *module_abi)
{
	struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };
	int fd = open(MACHIPC_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return KERN_FAILURE;
	if (ioctl(fd, MACHIPC_IOC_VERSION, &v) < 0) {
		int err = errno;

		close(fd);
		return machipc_errno_to_kr(err);
	}
	close(fd);
	if (module_abi)
		*module_abi = v.abi_version;
	return v.compatible ? KERN_SUCCESS : KERN_NOT_SUPPORTED;
}

/* One MACHIPC_IOC_PORT_OP call: the Mach result, or the ioctl's errno as one. */
kern_return_t machipc_port_op(struct machipc_port_op *o)
{
	int err = machipc_ioctl(MACHIPC_IOC_PORT_OP, o);

	return err ? machipc_errno_to_kr(err) : o->kr;
}

kern_return_t machipc_op(uint32_t op, mach_port_name_t task, mach_port_name_t name,
			 uint32_t arg, uint64_t v0, uint64_t v1, struct machipc_port_op *out)
{
	struct machipc_port_op o = {
		.op = op, .task = task, .name = name, .arg = arg, .val = { v0, v1 },
	};
	kern_return_t kr = machipc_port_op(&o);

	if (out)
		*out = o;
	return kr;
}
