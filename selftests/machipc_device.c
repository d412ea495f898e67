// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mach basics: the device, the ABI handshake, opens and closes, and
 * the ioctl errors for a broken argument.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <machipc/machipc.h>
#include "machipc.h"
#include "kselftest_harness.h"

static int open_mach(void)
{
	return open(MACHIPC_DEVICE, O_RDWR | O_CLOEXEC);
}

static int version_ioctl(int fd, struct machipc_version *v)
{
	return ioctl(fd, MACHIPC_IOC_VERSION, v);
}

TEST(device_present)
{
	struct stat st;
	int fd;

	ASSERT_EQ(0, stat(MACHIPC_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(10U, major(st.st_rdev)); /* a misc device */
	fd = open_mach();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, close(fd));
}

TEST(version_matches)
{
	struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };
	uint32_t abi = 0;
	int fd = open_mach();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, version_ioctl(fd, &v));
	EXPECT_EQ((__u32)MACHIPC_ABI_VERSION, v.abi_version);
	EXPECT_EQ(1U, v.compatible);
	EXPECT_EQ(0ULL, v.reserved[0]);
	EXPECT_EQ(0ULL, v.reserved[1]);
	close(fd);

	EXPECT_EQ(KERN_SUCCESS, machipc_abi_version(&abi));
	EXPECT_EQ((uint32_t)MACHIPC_ABI_VERSION, abi);
}

TEST(version_other_abi_is_incompatible)
{
	struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION + 1000 };
	int fd = open_mach();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, version_ioctl(fd, &v));
	EXPECT_EQ((__u32)MACHIPC_ABI_VERSION, v.abi_version);
	EXPECT_EQ(0U, v.compatible);
	close(fd);
}

TEST(version_reserved_nonzero_einval)
{
	struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION, .reserved = { 0, 7 } };
	int fd = open_mach();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, version_ioctl(fd, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(7ULL, v.reserved[1]); /* untouched */
	close(fd);
}

TEST(open_close_many)
{
	int fds[64];
	int i;

	for (i = 0; i < 2000; i++) {
		int fd = open_mach();

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, close(fd));
	}
	/* Many at once, closed in another order than opened. */
	for (i = 0; i < 64; i++) {
		struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };

		fds[i] = open_mach();
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, version_ioctl(fds[i], &v));
	}
	for (i = 0; i < 64; i += 2)
		ASSERT_EQ(0, close(fds[i]));
	for (i = 63; i > 0; i -= 2)
		ASSERT_EQ(0, close(fds[i]));
}

TEST(two_processes_concurrently)
{
	pid_t kids[2];
	int i, status;

	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			int n, fd = open_mach();

			if (fd < 0)
				_exit(10);
			for (n = 0; n < 5000; n++) {
				struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };

				if (version_ioctl(fd, &v) || !v.compatible)
					_exit(11);
			}
			close(fd);
			_exit(0);
		}
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
}

TEST(bad_ioctl_number_enotty)
{
	struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };
	int fd = open_mach();

	ASSERT_LE(0, fd);
	/* An unknown command number of ours. */
	EXPECT_EQ(-1, ioctl(fd, _IOWR(MACHIPC_IOC_MAGIC, 0x7f, struct machipc_version), &v));
	EXPECT_EQ(ENOTTY, errno);
	/* The version number with the wrong size or direction. */
	EXPECT_EQ(-1, ioctl(fd, _IOWR(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_VERSION, __u64), &v));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IOR(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_VERSION,
				     struct machipc_version), &v));
	EXPECT_EQ(ENOTTY, errno);
	/* Another driver's magic. */
	EXPECT_EQ(-1, ioctl(fd, _IO('T', 1), 0));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

TEST(bad_pointer_efault)
{
	struct machipc_version *ro;
	int fd = open_mach();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, MACHIPC_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, MACHIPC_IOC_VERSION, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* Readable but not writable: the copy back out faults. */
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-1, ioctl(fd, MACHIPC_IOC_VERSION, ro));
	EXPECT_EQ(EFAULT, errno);
	/* A struct straddling the end of a mapping. */
	EXPECT_EQ(-1, ioctl(fd, MACHIPC_IOC_VERSION, (char *)ro + 4096 - 8));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, 4096);
	close(fd);
}

TEST(inherited_fd_refused_eperm)
{
	int fd = open_mach();
	int status;
	pid_t kid;

	ASSERT_LE(0, fd);
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };

		if (version_ioctl(fd, &v) != -1 || errno != EPERM)
			_exit(1);
		if (v.abi_version != MACHIPC_ABI_VERSION || v.compatible)
			_exit(2); /* the refused call wrote nothing */
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

TEST(library_reopens_after_fork)
{
	struct machipc_version v = { 0 };
	int status, pfd = machipc_fd();
	pid_t kid;

	ASSERT_LE(0, pfd);
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		int cfd = machipc_fd();

		v.abi_version = MACHIPC_ABI_VERSION;

		if (cfd < 0)
			_exit(1);
		if (version_ioctl(cfd, &v) || !v.compatible)
			_exit(2);
		/* The parent's descriptor was dropped in the child. */
		if (cfd != pfd && fcntl(pfd, F_GETFD) != -1)
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The parent's descriptor still works. */
	v.abi_version = MACHIPC_ABI_VERSION;
	EXPECT_EQ(0, version_ioctl(pfd, &v));
	EXPECT_EQ(1U, v.compatible);
}

TEST_HARNESS_MAIN
