//! `bootstrap.h`: the bootstrap port. libmach declares `bootstrap_port` in
//! `<mach/mach_init.h>`, as macOS does; the `bootstrap_*` calls of
//! `<servers/bootstrap.h>` are not in libmach yet.

use crate::sys::port::mach_port_t;

unsafe extern "C" {
    /// A send right to the task's bootstrap port (its `TASK_BOOTSTRAP_PORT`
    /// when libmach started), `MACH_PORT_NULL` if it has none.
    pub static bootstrap_port: mach_port_t;
}
