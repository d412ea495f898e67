"""Host-side tests of scripts/check_decls.py (no declaration without a
definition). Each test builds a tiny include tree and library with gcc/ar."""
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parent / 'check_decls.py'

HEADER = '''#ifndef T_H
#define T_H
#include <stdarg.h>
extern int defined_fn(int);
int missing_fn(void);
static inline int inline_fn(void) { return 1; }
extern int defined_var;
extern const char *missing_var[4];
extern int (*hook_var)(const char *, va_list);
typedef int not_a_decl_t;
struct s { int (*member)(void); };
#endif
'''

SOURCE = '''#include <stdarg.h>
int defined_fn(int x) { return x; }
int defined_var = 1;
int (*hook_var)(const char *, va_list);
'''


class CheckDeclsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.dir = Path(self.tmp.name)
        (self.dir / 'inc' / 'sub').mkdir(parents=True)
        (self.dir / 'inc' / 'sub' / 't.h').write_text(HEADER)
        (self.dir / 'lib.c').write_text(SOURCE)
        subprocess.run(['gcc', '-c', '-o', str(self.dir / 'lib.o'), str(self.dir / 'lib.c')],
                       check=True)
        subprocess.run(['ar', 'rcs', str(self.dir / 'libt.a'), str(self.dir / 'lib.o')],
                       check=True)

    def run_check(self, allow=None):
        args = [sys.executable, str(SCRIPT), '--include', str(self.dir / 'inc'),
                '--lib', str(self.dir / 'libt.a')]
        if allow is not None:
            (self.dir / 'allow.txt').write_text(allow)
            args += ['--allowlist', str(self.dir / 'allow.txt')]
        p = subprocess.run(args, capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout

    def test_missing_function_and_variable_are_reported_and_fail(self):
        rc, out = self.run_check()
        self.assertEqual(rc, 1, out)
        self.assertIn('declared but not defined: function missing_fn', out)
        self.assertIn('declared but not defined: variable missing_var', out)
        for name in ('defined_fn', 'defined_var', 'hook_var', 'inline_fn', 'not_a_decl_t',
                     'member'):
            self.assertNotIn(f' {name} ', out)
        self.assertIn('2 problems', out)

    def test_allowlisted_names_pass(self):
        rc, out = self.run_check('# who\nmissing_fn   someone\nmissing_var  someone else\n')
        self.assertEqual(rc, 0, out)
        self.assertIn('2 allowed', out)

    def test_allowlist_entry_that_is_defined_now_is_stale(self):
        rc, out = self.run_check('missing_fn x\nmissing_var y\ndefined_fn z\n')
        self.assertEqual(rc, 1, out)
        self.assertIn('stale: libmach defines defined_fn now', out)

    def test_allowlist_entry_no_header_declares_is_stale(self):
        rc, out = self.run_check('missing_fn x\nmissing_var y\nnever_declared z\n')
        self.assertEqual(rc, 1, out)
        self.assertIn('stale: never_declared is declared by no header', out)

    def test_header_that_does_not_compile_alone_fails(self):
        (self.dir / 'inc' / 'needs.h').write_text('extern size_t needs_size(void);\n')
        rc, out = self.run_check('missing_fn x\nmissing_var y\nneeds_size z\n')
        self.assertEqual(rc, 1, out)
        self.assertIn('needs.h does not compile on its own', out)


if __name__ == '__main__':
    unittest.main()
