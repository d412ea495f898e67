//! `<mach/machine.h>`: CPU types and subtypes (`host_info`,
//! `processor_info`) and the CPU states of the tick counters. (`mach2`'s
//! module has only ARM CPU families, which libmach does not.)

use crate::sys::vm_types::integer_t;

pub type cpu_type_t = integer_t;
pub type cpu_subtype_t = integer_t;
pub type cpu_threadtype_t = integer_t;

/// `CPU_SUBTYPE_INTEL(f, m)`: the x86 subtype of family `f` and model `m`.
pub const fn CPU_SUBTYPE_INTEL(f: cpu_subtype_t, m: cpu_subtype_t) -> cpu_subtype_t {
    f + (m << 4)
}

pub const fn CPU_SUBTYPE_INTEL_FAMILY(x: cpu_subtype_t) -> cpu_subtype_t {
    x & 15
}

pub const fn CPU_SUBTYPE_INTEL_MODEL(x: cpu_subtype_t) -> cpu_subtype_t {
    x >> 4
}

pub const CPU_STATE_MAX: integer_t = 4;
pub const CPU_STATE_USER: integer_t = 0;
pub const CPU_STATE_SYSTEM: integer_t = 1;
pub const CPU_STATE_IDLE: integer_t = 2;
pub const CPU_STATE_NICE: integer_t = 3;
pub const CPU_ARCH_MASK: u32 = 0xff00_0000;
pub const CPU_ARCH_ABI64: u32 = 0x0100_0000;
pub const CPU_TYPE_ANY: cpu_type_t = -1;
pub const CPU_TYPE_VAX: cpu_type_t = 1;
pub const CPU_TYPE_MC680x0: cpu_type_t = 6;
pub const CPU_TYPE_X86: cpu_type_t = 7;
pub const CPU_TYPE_I386: cpu_type_t = CPU_TYPE_X86;
pub const CPU_TYPE_X86_64: cpu_type_t = CPU_TYPE_X86 | CPU_ARCH_ABI64 as cpu_type_t;
pub const CPU_TYPE_MC98000: cpu_type_t = 10;
pub const CPU_TYPE_HPPA: cpu_type_t = 11;
pub const CPU_TYPE_ARM: cpu_type_t = 12;
pub const CPU_TYPE_ARM64: cpu_type_t = CPU_TYPE_ARM | CPU_ARCH_ABI64 as cpu_type_t;
pub const CPU_TYPE_MC88000: cpu_type_t = 13;
pub const CPU_TYPE_SPARC: cpu_type_t = 14;
pub const CPU_TYPE_I860: cpu_type_t = 15;
pub const CPU_TYPE_POWERPC: cpu_type_t = 18;
pub const CPU_TYPE_POWERPC64: cpu_type_t = CPU_TYPE_POWERPC | CPU_ARCH_ABI64 as cpu_type_t;
pub const CPU_SUBTYPE_MASK: u32 = 0xff00_0000;
pub const CPU_SUBTYPE_LIB64: u32 = 0x8000_0000;
pub const CPU_SUBTYPE_MULTIPLE: cpu_subtype_t = -1;
pub const CPU_SUBTYPE_LITTLE_ENDIAN: cpu_subtype_t = 0;
pub const CPU_SUBTYPE_BIG_ENDIAN: cpu_subtype_t = 1;
pub const CPU_THREADTYPE_NONE: cpu_threadtype_t = 0;
pub const CPU_SUBTYPE_I386_ALL: cpu_subtype_t = CPU_SUBTYPE_INTEL(3, 0);
pub const CPU_SUBTYPE_386: cpu_subtype_t = CPU_SUBTYPE_INTEL(3, 0);
pub const CPU_SUBTYPE_486: cpu_subtype_t = CPU_SUBTYPE_INTEL(4, 0);
pub const CPU_SUBTYPE_486SX: cpu_subtype_t = CPU_SUBTYPE_INTEL(4, 8);
pub const CPU_SUBTYPE_586: cpu_subtype_t = CPU_SUBTYPE_INTEL(5, 0);
pub const CPU_SUBTYPE_PENT: cpu_subtype_t = CPU_SUBTYPE_INTEL(5, 0);
pub const CPU_SUBTYPE_PENTPRO: cpu_subtype_t = CPU_SUBTYPE_INTEL(6, 1);
pub const CPU_SUBTYPE_PENTII_M3: cpu_subtype_t = CPU_SUBTYPE_INTEL(6, 3);
pub const CPU_SUBTYPE_PENTII_M5: cpu_subtype_t = CPU_SUBTYPE_INTEL(6, 5);
pub const CPU_SUBTYPE_CELERON: cpu_subtype_t = CPU_SUBTYPE_INTEL(7, 6);
pub const CPU_SUBTYPE_CELERON_MOBILE: cpu_subtype_t = CPU_SUBTYPE_INTEL(7, 7);
pub const CPU_SUBTYPE_PENTIUM_3: cpu_subtype_t = CPU_SUBTYPE_INTEL(8, 0);
pub const CPU_SUBTYPE_PENTIUM_3_M: cpu_subtype_t = CPU_SUBTYPE_INTEL(8, 1);
pub const CPU_SUBTYPE_PENTIUM_3_XEON: cpu_subtype_t = CPU_SUBTYPE_INTEL(8, 2);
pub const CPU_SUBTYPE_PENTIUM_M: cpu_subtype_t = CPU_SUBTYPE_INTEL(9, 0);
pub const CPU_SUBTYPE_PENTIUM_4: cpu_subtype_t = CPU_SUBTYPE_INTEL(10, 0);
pub const CPU_SUBTYPE_PENTIUM_4_M: cpu_subtype_t = CPU_SUBTYPE_INTEL(10, 1);
pub const CPU_SUBTYPE_ITANIUM: cpu_subtype_t = CPU_SUBTYPE_INTEL(11, 0);
pub const CPU_SUBTYPE_ITANIUM_2: cpu_subtype_t = CPU_SUBTYPE_INTEL(11, 1);
pub const CPU_SUBTYPE_XEON: cpu_subtype_t = CPU_SUBTYPE_INTEL(12, 0);
pub const CPU_SUBTYPE_XEON_MP: cpu_subtype_t = CPU_SUBTYPE_INTEL(12, 1);
pub const CPU_SUBTYPE_INTEL_FAMILY_MAX: cpu_subtype_t = 15;
pub const CPU_SUBTYPE_INTEL_MODEL_ALL: cpu_subtype_t = 0;
pub const CPU_SUBTYPE_X86_ALL: cpu_subtype_t = 3;
pub const CPU_SUBTYPE_X86_64_ALL: cpu_subtype_t = 3;
pub const CPU_SUBTYPE_X86_ARCH1: cpu_subtype_t = 4;
pub const CPU_SUBTYPE_X86_64_H: cpu_subtype_t = 8;
pub const CPU_THREADTYPE_INTEL_HTT: cpu_threadtype_t = 1;
pub const CPU_SUBTYPE_ARM_ALL: cpu_subtype_t = 0;
pub const CPU_SUBTYPE_ARM_V4T: cpu_subtype_t = 5;
pub const CPU_SUBTYPE_ARM_V6: cpu_subtype_t = 6;
pub const CPU_SUBTYPE_ARM_V5TEJ: cpu_subtype_t = 7;
pub const CPU_SUBTYPE_ARM_XSCALE: cpu_subtype_t = 8;
pub const CPU_SUBTYPE_ARM_V7: cpu_subtype_t = 9;
pub const CPU_SUBTYPE_ARM_V7F: cpu_subtype_t = 10;
pub const CPU_SUBTYPE_ARM_V7S: cpu_subtype_t = 11;
pub const CPU_SUBTYPE_ARM_V7K: cpu_subtype_t = 12;
pub const CPU_SUBTYPE_ARM_V8: cpu_subtype_t = 13;
pub const CPU_SUBTYPE_ARM_V6M: cpu_subtype_t = 14;
pub const CPU_SUBTYPE_ARM_V7M: cpu_subtype_t = 15;
pub const CPU_SUBTYPE_ARM_V7EM: cpu_subtype_t = 16;
pub const CPU_SUBTYPE_ARM64_ALL: cpu_subtype_t = 0;
pub const CPU_SUBTYPE_ARM64_V8: cpu_subtype_t = 1;
pub const CPU_SUBTYPE_POWERPC_ALL: cpu_subtype_t = 0;
pub const CPU_SUBTYPE_POWERPC_601: cpu_subtype_t = 1;
pub const CPU_SUBTYPE_POWERPC_602: cpu_subtype_t = 2;
pub const CPU_SUBTYPE_POWERPC_603: cpu_subtype_t = 3;
pub const CPU_SUBTYPE_POWERPC_603e: cpu_subtype_t = 4;
pub const CPU_SUBTYPE_POWERPC_603ev: cpu_subtype_t = 5;
pub const CPU_SUBTYPE_POWERPC_604: cpu_subtype_t = 6;
pub const CPU_SUBTYPE_POWERPC_604e: cpu_subtype_t = 7;
pub const CPU_SUBTYPE_POWERPC_620: cpu_subtype_t = 8;
pub const CPU_SUBTYPE_POWERPC_750: cpu_subtype_t = 9;
pub const CPU_SUBTYPE_POWERPC_7400: cpu_subtype_t = 10;
pub const CPU_SUBTYPE_POWERPC_7450: cpu_subtype_t = 11;
pub const CPU_SUBTYPE_POWERPC_970: cpu_subtype_t = 100;
pub const CPUFAMILY_UNKNOWN: u32 = 0;
pub const CPUFAMILY_INTEL_6_13: u32 = 0xaa33392b;
pub const CPUFAMILY_INTEL_YONAH: u32 = 0x73d67300;
pub const CPUFAMILY_INTEL_MEROM: u32 = 0x426f69ef;
pub const CPUFAMILY_INTEL_PENRYN: u32 = 0x78ea4fbc;
pub const CPUFAMILY_INTEL_NEHALEM: u32 = 0x6b5a4cd2;
pub const CPUFAMILY_INTEL_WESTMERE: u32 = 0x573b5eec;
pub const CPUFAMILY_INTEL_SANDYBRIDGE: u32 = 0x5490b78c;
pub const CPUFAMILY_INTEL_IVYBRIDGE: u32 = 0x1f65e835;
pub const CPUFAMILY_INTEL_HASWELL: u32 = 0x10b282dc;
pub const CPUFAMILY_INTEL_BROADWELL: u32 = 0x582ed09c;
pub const CPUFAMILY_INTEL_SKYLAKE: u32 = 0x37fc219f;
pub const CPUFAMILY_INTEL_CORE: u32 = CPUFAMILY_INTEL_YONAH;
pub const CPUFAMILY_INTEL_CORE2: u32 = CPUFAMILY_INTEL_MEROM;
