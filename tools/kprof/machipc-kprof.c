// SPDX-License-Identifier: GPL-2.0
/*
 * machipc-kprof: a sampling profiler of the kernel for the test guest.
 *
 *   machipc-kprof [-F HZ] [-n TOP] [-g] [-a TOP] [-c NAME] [-o FILE] -- COMMAND [ARG...]
 *
 * Opens one software cpu-clock perf event per online CPU (the guest has no
 * hardware counters under TCG), samples every CPU at HZ (default 4000)
 * while COMMAND runs, and resolves each sample's instruction pointer
 * against /proc/kallsyms, module symbols included. With -g it also records
 * the kernel call chain of each sample and reports, per function, the
 * share of samples it was on the stack of ("inclusive"), counted once per
 * sample however deep the recursion. With -a it also lists the TOP most
 * sampled instruction addresses as function+offset, which
 * scripts/profile.sh turns into source lines of the module (addr2line).
 * With -c NAME (implies -g) it counts, for samples in a function whose
 * name contains NAME, the function that called it.
 *
 * The report (stdout, or FILE) counts every sample but those of the idle
 * task and of the profiler (the guest runs nothing but COMMAND meanwhile),
 * split into user and kernel time; the kernel part is listed by function,
 * self and inclusive. Symbol names are printed
 * as kallsyms gives them (Rust's are mangled; scripts/profile.sh
 * demangles them on the host).
 *
 * It needs perf events (CONFIG_PERF_EVENTS) and root, or
 * perf_event_paranoid <= 0 (it samples the kernel, system-wide).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CPUS 64
#define RING_PAGES 64 /* data pages per CPU: a power of two */
#define MAX_CHAIN 128

struct sym {
	uint64_t addr;
	char *name;
	char *mod;	 /* module name, or NULL for the kernel itself */
	uint64_t self;	 /* samples whose IP is in it */
	uint64_t incl;	 /* samples with it on the kernel stack */
	uint64_t marked; /* the last sample that counted it inclusively */
};

static struct sym *syms;
static size_t nsyms;
static int ncpu;
static int fds[MAX_CPUS];
static void *rings[MAX_CPUS];
static size_t page_size;
static uint64_t n_user, n_kernel, n_other, n_lost, n_unknown, sample_seq;

/* Samples per kernel instruction address (-a): an open hash table. */
#define IP_SLOTS (1u << 16)
static struct {
	uint64_t ip, n;
} ips[IP_SLOTS];
static uint64_t ips_dropped;

static struct sym *lookup(uint64_t ip);

/* -c SUBSTRING: the callers of the functions whose name contains it. */
static const char *callers_of;
#define MAX_CALLERS 256
static struct {
	struct sym *callee, *caller;
	uint64_t n;
} callers[MAX_CALLERS];

static void count_caller(struct sym *callee, const uint64_t *chain, uint64_t nr)
{
	struct sym *caller = NULL;
	uint64_t i;

	for (i = 0; i < nr && i < MAX_CHAIN; i++) {
		if (chain[i] >= (uint64_t)PERF_CONTEXT_MAX)
			continue;
		caller = lookup(chain[i]);
		if (caller && caller != callee)
			break;
		caller = NULL;
	}
	if (!caller)
		return;
	for (i = 0; i < MAX_CALLERS; i++) {
		if (!callers[i].n) {
			callers[i].callee = callee;
			callers[i].caller = caller;
		}
		if (callers[i].callee == callee && callers[i].caller == caller) {
			callers[i].n++;
			return;
		}
	}
}

static void count_ip(uint64_t ip)
{
	uint64_t h = (ip * 0x9e3779b97f4a7c15ull) >> 48, i;

	for (i = 0; i < IP_SLOTS; i++) {
		uint64_t s = (h + i) % IP_SLOTS;

		if (ips[s].ip == ip || !ips[s].ip) {
			ips[s].ip = ip;
			ips[s].n++;
			return;
		}
	}
	ips_dropped++;
}

static void die(const char *what)
{
	fprintf(stderr, "machipc-kprof: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Reads the text symbols of /proc/kallsyms, sorted by address. */
static void load_kallsyms(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[1024];
	size_t cap = 0;

	if (!f)
		die("/proc/kallsyms");
	while (fgets(line, sizeof(line), f)) {
		char type, name[512], mod[128] = "";
		unsigned long long addr;
		int n = sscanf(line, "%llx %c %511s [%127[^]]]", &addr, &type, name, mod);

		if (n < 3 || (type != 't' && type != 'T' && type != 'w' && type != 'W') || !addr)
			continue;
		if (nsyms == cap) {
			cap = cap ? cap * 2 : 65536;
			syms = realloc(syms, cap * sizeof(*syms));
			if (!syms)
				die("realloc");
		}
		syms[nsyms] = (struct sym){ .addr = addr, .name = strdup(name),
					    .mod = n == 4 ? strdup(mod) : NULL };
		if (!syms[nsyms].name)
			die("strdup");
		nsyms++;
	}
	fclose(f);
	if (!nsyms) {
		fprintf(stderr, "machipc-kprof: no addresses in /proc/kallsyms (kptr_restrict?)\n");
		exit(1);
	}
	qsort(syms, nsyms, sizeof(*syms), by_addr);
}

/* The symbol containing kernel address `ip` (the last one at or below it). */
static struct sym *lookup(uint64_t ip)
{
	size_t lo = 0, hi = nsyms;

	if (ip < syms[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (syms[mid].addr <= ip)
			lo = mid;
		else
			hi = mid;
	}
	return &syms[lo];
}

static int is_kernel_ip(uint64_t ip)
{
	return ip >= 0xffff800000000000ull;
}

/*
 * Whether a sample of `pid` counts: everything but the idle task and the
 * profiler itself. The guest runs nothing but the command while it
 * profiles; kernel threads that do work for it (deferred work, RCU) are
 * its cost too.
 */
static pid_t self_pid;

static int counted(pid_t pid)
{
	return pid > 0 && pid != self_pid;
}

static void account(uint32_t pid, uint64_t ip, const uint64_t *chain, uint64_t nr)
{
	uint64_t i;
	struct sym *s;

	if (!counted((pid_t)pid)) {
		n_other++;
		return;
	}
	if (!is_kernel_ip(ip)) {
		n_user++;
		return;
	}
	n_kernel++;
	count_ip(ip);
	s = lookup(ip);
	if (!s) {
		n_unknown++;
		return;
	}
	s->self++;
	if (callers_of && strstr(s->name, callers_of))
		count_caller(s, chain, nr);
	sample_seq++;
	for (i = 0; i < nr && i < MAX_CHAIN; i++) {
		if (chain[i] >= (uint64_t)PERF_CONTEXT_MAX) {
			if (chain[i] == (uint64_t)PERF_CONTEXT_KERNEL)
				continue;
			break; /* user part of the chain */
		}
		s = lookup(chain[i]);
		if (s && s->marked != sample_seq) {
			s->marked = sample_seq;
			s->incl++;
		}
	}
}

/* Sample layout for PERF_SAMPLE_IP | PERF_SAMPLE_TID [| PERF_SAMPLE_CALLCHAIN]. */
static void parse_sample(const uint64_t *w, size_t words, int callchain)
{
	uint64_t ip, nr = 0;
	uint32_t pid;

	if (words < 2)
		return;
	ip = w[0];
	pid = (uint32_t)w[1];
	if (callchain && words >= 3) {
		nr = w[2];
		if (nr > words - 3)
			nr = words - 3;
	}
	account(pid, ip, callchain ? w + 3 : NULL, nr);
}

static void drain(int cpu, int callchain)
{
	struct perf_event_mmap_page *mp = rings[cpu];
	const unsigned char *data = (const unsigned char *)rings[cpu] + page_size;
	uint64_t size = (uint64_t)RING_PAGES * page_size;
	uint64_t head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = mp->data_tail;
	static uint64_t rec[(MAX_CHAIN + 8) * 8];

	while (tail < head) {
		struct perf_event_header h;
		uint64_t off = tail % size, i;
		unsigned char *dst = (unsigned char *)rec;

		for (i = 0; i < sizeof(h); i++)
			((unsigned char *)&h)[i] = data[(off + i) % size];
		if (h.size < sizeof(h) || tail + h.size > head)
			break;
		if (h.size <= sizeof(rec)) {
			for (i = 0; i < h.size; i++)
				dst[i] = data[(off + i) % size];
			if (h.type == PERF_RECORD_SAMPLE)
				parse_sample(rec + 1, (h.size - sizeof(h)) / 8, callchain);
			else if (h.type == PERF_RECORD_LOST)
				n_lost += rec[2];
		}
		tail += h.size;
	}
	__atomic_store_n(&mp->data_tail, tail, __ATOMIC_RELEASE);
}

static void open_events(unsigned freq, int callchain)
{
	struct perf_event_attr a;
	int cpu;

	ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1 || ncpu > MAX_CPUS) {
		fprintf(stderr, "machipc-kprof: %d CPUs: unsupported\n", ncpu);
		exit(1);
	}
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.freq = 1;
	a.sample_freq = freq;
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | (callchain ? PERF_SAMPLE_CALLCHAIN : 0);
	a.disabled = 1;
	a.exclude_hv = 1;
	a.exclude_callchain_user = 1;
	a.wakeup_events = 64;
	for (cpu = 0; cpu < ncpu; cpu++) {
		fds[cpu] = (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0);
		if (fds[cpu] < 0)
			die("perf_event_open");
		rings[cpu] = mmap(NULL, (RING_PAGES + 1) * page_size, PROT_READ | PROT_WRITE,
				  MAP_SHARED, fds[cpu], 0);
		if (rings[cpu] == MAP_FAILED)
			die("mmap of the perf ring");
	}
}

static void enable_all(int on)
{
	int cpu;

	for (cpu = 0; cpu < ncpu; cpu++)
		if (ioctl(fds[cpu], on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0))
			die("PERF_EVENT_IOC_ENABLE");
}

static int by_self(const void *a, const void *b)
{
	const struct sym *x = *(struct sym *const *)a, *y = *(struct sym *const *)b;

	return x->self > y->self ? -1 : x->self < y->self;
}

static int by_incl(const void *a, const void *b)
{
	const struct sym *x = *(struct sym *const *)a, *y = *(struct sym *const *)b;

	return x->incl > y->incl ? -1 : x->incl < y->incl;
}

static int by_ip_count(const void *a, const void *b)
{
	const uint64_t x = ips[*(const uint32_t *)a].n, y = ips[*(const uint32_t *)b].n;

	return x > y ? -1 : x < y;
}

/* The `top` most sampled instruction addresses, as symbol+offset. */
static void report_ips(FILE *o, int top, uint64_t total)
{
	static uint32_t order[IP_SLOTS];
	uint32_t n = 0, i;

	for (i = 0; i < IP_SLOTS; i++)
		if (ips[i].ip)
			order[n++] = i;
	qsort(order, n, sizeof(*order), by_ip_count);
	fprintf(o, "KPROF ip: %% of the command's samples, samples, function+offset [module]%s\n",
		ips_dropped ? " (table full: some addresses not counted)" : "");
	for (i = 0; i < n && (int)i < top; i++) {
		struct sym *s = lookup(ips[order[i]].ip);

		if (!s)
			continue;
		fprintf(o, "KPROF ip %6.2f%% %8llu %s+0x%llx%s%s%s\n", 100.0 * ips[order[i]].n / total,
			(unsigned long long)ips[order[i]].n, s->name,
			(unsigned long long)(ips[order[i]].ip - s->addr), s->mod ? " [" : "",
			s->mod ? s->mod : "", s->mod ? "]" : "");
	}
}

static void report(FILE *o, int top, int callchain, int top_ips)
{
	struct sym **v = malloc(nsyms * sizeof(*v));
	uint64_t total = n_user + n_kernel;
	size_t i, n = 0;

	if (!v)
		die("malloc");
	for (i = 0; i < nsyms; i++)
		if (syms[i].self || syms[i].incl)
			v[n++] = &syms[i];
	fprintf(o, "KPROF samples %llu: user %llu (%.1f%%), kernel %llu (%.1f%%); "
		   "idle and the profiler %llu, lost %llu, unresolved %llu\n",
		(unsigned long long)total, (unsigned long long)n_user,
		total ? 100.0 * n_user / total : 0.0, (unsigned long long)n_kernel,
		total ? 100.0 * n_kernel / total : 0.0, (unsigned long long)n_other,
		(unsigned long long)n_lost, (unsigned long long)n_unknown);
	qsort(v, n, sizeof(*v), by_self);
	fprintf(o, "KPROF self: %% of the command's samples, samples, function [module]\n");
	for (i = 0; i < n && (int)i < top && v[i]->self; i++)
		fprintf(o, "KPROF self %6.2f%% %8llu %s%s%s%s\n", 100.0 * v[i]->self / total,
			(unsigned long long)v[i]->self, v[i]->name, v[i]->mod ? " [" : "",
			v[i]->mod ? v[i]->mod : "", v[i]->mod ? "]" : "");
	if (callchain) {
		qsort(v, n, sizeof(*v), by_incl);
		fprintf(o, "KPROF incl: %% of the command's samples with the function on the "
			   "kernel stack\n");
		for (i = 0; i < n && (int)i < top && v[i]->incl; i++)
			fprintf(o, "KPROF incl %6.2f%% %8llu %s%s%s%s\n",
				100.0 * v[i]->incl / total, (unsigned long long)v[i]->incl,
				v[i]->name, v[i]->mod ? " [" : "", v[i]->mod ? v[i]->mod : "",
				v[i]->mod ? "]" : "");
	}
	if (top_ips && total)
		report_ips(o, top_ips, total);
	for (i = 0; callers_of && i < MAX_CALLERS && callers[i].n; i++)
		fprintf(o, "KPROF caller %8llu %s <- %s\n", (unsigned long long)callers[i].n,
			callers[i].callee->name, callers[i].caller->name);
	free(v);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: machipc-kprof [-F HZ] [-n TOP] [-g] [-a TOP] [-c NAME] [-o FILE] -- COMMAND [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned freq = 4000;
	int top = 40, callchain = 0, top_ips = 0, o, status = 0, cpu, done = 0;
	pid_t child;
	const char *outname = NULL;
	struct pollfd pfd[MAX_CPUS];
	FILE *out = stdout;

	while ((o = getopt(argc, argv, "+F:n:ga:c:o:h")) != -1) {
		switch (o) {
		case 'F': freq = (unsigned)atoi(optarg); break;
		case 'n': top = atoi(optarg); break;
		case 'g': callchain = 1; break;
		case 'a': top_ips = atoi(optarg); break;
		case 'c': callers_of = optarg; callchain = 1; break;
		case 'o': outname = optarg; break;
		default: usage();
		}
	}
	if (optind >= argc || freq < 1 || freq > 100000 || top < 1)
		usage();
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	self_pid = getpid();
	load_kallsyms();
	open_events(freq, callchain);
	child = fork();
	if (child < 0)
		die("fork");
	if (!child) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "machipc-kprof: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	enable_all(1);
	for (cpu = 0; cpu < ncpu; cpu++)
		pfd[cpu] = (struct pollfd){ .fd = fds[cpu], .events = POLLIN };
	while (!done) {
		pid_t w;

		if (poll(pfd, (nfds_t)ncpu, 100) < 0 && errno != EINTR)
			die("poll");
		for (cpu = 0; cpu < ncpu; cpu++)
			drain(cpu, callchain);
		w = waitpid(child, &status, WNOHANG);
		if (w < 0)
			die("waitpid");
		done = w == child;
	}
	enable_all(0);
	for (cpu = 0; cpu < ncpu; cpu++)
		drain(cpu, callchain);
	if (outname && !(out = fopen(outname, "w")))
		die(outname);
	report(out, top, callchain, top_ips);
	if (out != stdout)
		fclose(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
