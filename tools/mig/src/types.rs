//! IPC types: what a `.defs` type declaration means on the wire.
//!
//! The type algebra is MIG's: a base IPC type (`MACH_MSG_TYPE_*`, with an
//! element size in bits), then `array[N]`, `array[*:N]`, `array[]`,
//! `struct[N]`, `^` (out-of-line) and `c_string[...]` on top of it.

/// `MACH_MSG_TYPE_POLYMORPHIC`.
pub const POLY: u32 = 0xffff_ffff;

pub const MOVE_RECEIVE: u32 = 16;
pub const MOVE_SEND: u32 = 17;
pub const MOVE_SEND_ONCE: u32 = 18;
pub const COPY_SEND: u32 = 19;
pub const MAKE_SEND: u32 = 20;
pub const MAKE_SEND_ONCE: u32 = 21;
pub const PORT_NAME: u32 = 15;

/// MIG's own numbering of the data types (not sent on the wire).
pub const TYPE_INTEGER_32: u32 = 2;
pub const TYPE_STRING_C: u32 = 12;
pub const TYPE_BYTE: u32 = 9;

/// Bits in a port name.
pub const PORT_BITS: u32 = 32;

pub fn is_port_name(n: u32) -> bool {
    (MOVE_RECEIVE..=MAKE_SEND_ONCE).contains(&n) || n == POLY
}

/// Received right of a sent disposition (`MACH_MSG_TYPE_PORT_*`).
pub fn received(n: u32) -> u32 {
    match n {
        MOVE_RECEIVE => MOVE_RECEIVE,
        MOVE_SEND | COPY_SEND | MAKE_SEND => MOVE_SEND,
        MOVE_SEND_ONCE | MAKE_SEND_ONCE => MOVE_SEND_ONCE,
        other => other,
    }
}

#[derive(Clone, Debug)]
pub struct Type {
    pub name: Option<String>,
    pub in_name: u32,
    pub out_name: u32,
    /// Bits of one element.
    pub size: u32,
    /// Elements (the maximum for variable arrays, 0 for unbounded ones).
    pub number: u32,
    pub kpd_number: u32,
    pub inline: bool,
    /// An unbounded `array[]`: presented like inline data, sent out-of-line.
    pub mig_inline: bool,
    pub port: bool,
    /// Passed by value (assignable in C).
    pub is_struct: bool,
    pub string: bool,
    pub var_array: bool,
    pub element: Option<Box<Type>>,
    pub user_type: Option<String>,
    pub server_type: Option<String>,
    pub trans_type: Option<String>,
    pub in_tran: Option<String>,
    pub out_tran: Option<String>,
    pub destructor: Option<String>,
}

impl Type {
    /// A base type: `MACH_MSG_TYPE_*`, a number, or `in|out`.
    pub fn short(in_name: u32, out_name: u32, size: u32) -> Type {
        let mut t = Type {
            name: None,
            in_name,
            out_name,
            size,
            number: 1,
            kpd_number: 0,
            inline: true,
            mig_inline: false,
            port: false,
            is_struct: true,
            string: false,
            var_array: false,
            element: None,
            user_type: None,
            server_type: None,
            trans_type: None,
            in_tran: None,
            out_tran: None,
            destructor: None,
        };
        if in_name == TYPE_STRING_C {
            t.is_struct = false;
            t.string = true;
        }
        if is_port_name(in_name) {
            t.port = true;
            t.kpd_number = 1;
        }
        t
    }

    /// `type new = old`: a copy whose element is the old type.
    pub fn copy_of(old: &Type) -> Type {
        let mut t = old.clone();
        t.name = None;
        t.element = Some(Box::new(old.clone()));
        t
    }

    pub fn reset_trans(mut self) -> Type {
        self.in_tran = None;
        self.out_tran = None;
        self.destructor = None;
        self.user_type = None;
        self.server_type = None;
        self.trans_type = None;
        self
    }

    /// Out-of-line or a port: carried by a descriptor.
    pub fn is_kpd(&self) -> bool {
        !self.inline || self.port
    }

    /// Variable-sized inline data (not ports).
    pub fn is_var_inline(&self) -> bool {
        self.var_array && self.inline && !self.port
    }

    pub fn multiple_kpd(&self) -> bool {
        self.kpd_number > 1
    }

    /// Bytes of the data (the maximum for variable arrays).
    pub fn type_size(&self) -> u32 {
        if self.is_kpd() {
            if self.multiple_kpd() {
                self.kpd_number * 12
            } else {
                12
            }
        } else {
            (self.number * self.size).div_ceil(8)
        }
    }

    pub fn pad_size(&self) -> u32 {
        if self.is_kpd() {
            0
        } else {
            let b = self.type_size();
            (4 - (b & 3)) & 3
        }
    }

    pub fn elem(&self) -> &Type {
        self.element.as_deref().unwrap_or(self)
    }

    /// Bytes of one element of an array (of the element type).
    pub fn elem_bytes(&self) -> u32 {
        self.elem().type_size_inline()
    }

    /// Bytes of the data as if inline.
    pub fn type_size_bytes(&self) -> u32 {
        self.type_size_inline()
    }

    fn type_size_inline(&self) -> u32 {
        (self.number * self.size).div_ceil(8)
    }

    /// Maximum number of elements of a variable array.
    pub fn max_count(&self) -> u32 {
        let e = self.elem().number.max(1);
        self.number / e
    }

    /// OOL bytes of a fixed-size out-of-line type.
    pub fn ool_fixed_bytes(&self) -> u32 {
        (self.number * self.size).div_ceil(8)
    }

    /// The type has a C name (declared, or an element of a declared type).
    pub fn has_ctype(&self) -> bool {
        self.name.is_some() || self.server_type.is_some()
    }

    pub fn user(&self) -> String {
        self.user_type
            .clone()
            .or_else(|| self.name.clone())
            .unwrap_or_else(|| self.fallback_c())
    }

    pub fn server(&self) -> String {
        self.server_type
            .clone()
            .or_else(|| self.name.clone())
            .unwrap_or_else(|| self.fallback_c())
    }

    pub fn trans(&self) -> String {
        self.trans_type.clone().unwrap_or_else(|| self.server())
    }

    /// A C type for an anonymous type (MIG would print a null name).
    fn fallback_c(&self) -> String {
        if self.port {
            return "mach_port_t".into();
        }
        if self.string {
            return "char".into();
        }
        if self.number == 1 && self.inline {
            return match self.size {
                8 => "uint8_t",
                16 => "uint16_t",
                64 => "uint64_t",
                _ => "natural_t",
            }
            .into();
        }
        "natural_t".into()
    }

    /// The descriptor type of a kernel-processed argument.
    pub fn kpd_ctype(&self) -> &'static str {
        if self.inline {
            "mach_msg_port_descriptor_t"
        } else if self.port {
            "mach_msg_ool_ports_descriptor_t"
        } else {
            "mach_msg_ool_descriptor_t"
        }
    }
}

/// `array[*:N] of old` (N > 0), `array[] of old` (N = 0).
pub fn var_array(number: u32, old: &Type) -> Result<Type, String> {
    let mut it = Type::copy_of(old).reset_trans();
    if !it.inline {
        if it.kpd_number != 1 || number == 0 {
            return Err("IPC type decl is too complicated for Kernel Processed Data".into());
        }
        it.kpd_number *= number;
        it.number = 1;
        it.is_struct = false;
    } else if it.var_array {
        return Err("IPC type decl is too complicated".into());
    } else if number > 0 {
        it.number *= number;
        it.is_struct = false;
        if it.port {
            it.kpd_number *= number;
        }
    } else {
        it.number = 0;
        it.mig_inline = true;
        it.inline = false;
        it.is_struct = true;
        it.kpd_number = 1;
    }
    it.var_array = true;
    it.string = false;
    Ok(it)
}

/// `array[N] of old`.
pub fn fixed_array(number: u32, old: &Type) -> Result<Type, String> {
    let mut it = Type::copy_of(old).reset_trans();
    if !it.inline {
        if it.kpd_number != 1 {
            return Err("IPC type decl is too complicated for Kernel Processed Data".into());
        }
        it.kpd_number *= number;
        it.number = 1;
        it.is_struct = false;
        it.string = false;
        it.var_array = false;
    } else if it.var_array {
        return Err("IPC type decl is too complicated".into());
    } else {
        it.number *= number;
        it.is_struct = false;
        it.string = false;
        if it.port {
            it.kpd_number *= number;
        }
    }
    Ok(it)
}

/// `^ old`: out-of-line.
pub fn pointer(mut it: Type) -> Result<Type, String> {
    if !it.inline && !it.mig_inline {
        return Err("IPC type decl is already defined to be Out-Of-Line".into());
    }
    it.inline = false;
    it.is_struct = true;
    it.string = false;
    it.mig_inline = false;
    it.kpd_number = 1;
    Ok(it)
}

/// `struct[N] of old`.
pub fn struct_of(number: u32, old: &Type) -> Result<Type, String> {
    let mut it = Type::copy_of(old).reset_trans();
    if !it.inline || it.var_array {
        return Err("IPC type decl is too complicated".into());
    }
    it.number *= number;
    it.is_struct = true;
    it.string = false;
    Ok(it)
}

/// `c_string[N]` / `c_string[*:N]`.
pub fn c_string(count: u32, varying: bool) -> Type {
    let mut e = Type::short(TYPE_STRING_C, TYPE_STRING_C, 8);
    e.name = Some("char".into());
    let mut it = Type::copy_of(&e).reset_trans();
    it.number = count;
    it.var_array = varying;
    it.is_struct = false;
    it.string = true;
    it
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int() -> Type {
        let mut t = Type::short(TYPE_INTEGER_32, TYPE_INTEGER_32, 32);
        t.name = Some("int".into());
        t
    }

    #[test]
    fn sizes_of_inline_types() {
        let i = int();
        assert_eq!((i.type_size(), i.pad_size()), (4, 0));
        let a = fixed_array(3, &Type::short(TYPE_BYTE, TYPE_BYTE, 8)).unwrap();
        assert_eq!((a.type_size(), a.pad_size()), (3, 1));
        let v = var_array(614, &i).unwrap();
        assert!(v.is_var_inline());
        assert_eq!(
            (v.type_size(), v.max_count(), v.elem_bytes()),
            (2456, 614, 4)
        );
        let s = struct_of(8, &i).unwrap();
        assert!(s.is_struct && s.type_size() == 32);
    }

    #[test]
    fn out_of_line_and_ports() {
        let byte = Type::short(TYPE_BYTE, TYPE_BYTE, 8);
        let p = pointer(var_array(0, &byte).unwrap()).unwrap();
        assert!(!p.inline && !p.mig_inline && p.var_array && p.is_kpd());
        assert_eq!(p.kpd_ctype(), "mach_msg_ool_descriptor_t");
        let port = Type::short(COPY_SEND, MOVE_SEND, PORT_BITS);
        assert_eq!(port.kpd_ctype(), "mach_msg_port_descriptor_t");
        let ports = var_array(0, &port).unwrap();
        assert!(ports.mig_inline && ports.port);
        assert_eq!(ports.kpd_ctype(), "mach_msg_ool_ports_descriptor_t");
        let fixed = fixed_array(4, &port).unwrap();
        assert!(fixed.multiple_kpd() && fixed.type_size() == 48);
        assert!(pointer(p).is_err());
    }

    #[test]
    fn strings() {
        let s = c_string(128, false);
        assert!(s.string && !s.var_array && s.type_size() == 128);
        let v = c_string(1024, true);
        assert!(v.is_var_inline() && v.max_count() == 1024);
        assert_eq!(c_string(5, false).pad_size(), 3);
    }

    #[test]
    fn received_rights() {
        assert_eq!(received(COPY_SEND), MOVE_SEND);
        assert_eq!(received(MAKE_SEND_ONCE), MOVE_SEND_ONCE);
        assert_eq!(received(MOVE_RECEIVE), MOVE_RECEIVE);
    }
}
