//! Compact serialization in one pass: any [`Serialize`] value written without
//! null members and without empty-array members, at any depth.
//!
//! Answers used to be turned into a `serde_json::Value`, pruned, then written
//! out; for a list of records that round trip cost more than decoding
//! Redmine's answer did. [`Compact`] wraps the target serializer instead: a
//! struct field or map entry whose value would be written as `null` or `[]`
//! is skipped, and everything else is forwarded, wrapped again one level down.
//!
//! Whether a value is absent is asked of a [`Probe`] serializer, which stops at
//! the first thing it sees: it never walks a record or a non-empty list, so
//! the question costs a few instructions whatever the value's size.

use std::fmt;

use serde::ser::{
    self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct,
    SerializeStructVariant, SerializeTuple, SerializeTupleStruct, SerializeTupleVariant,
    Serializer,
};

/// `value`, serialized without null members and empty-array members.
pub struct Compact<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Compact<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Compactor(serializer))
    }
}

/// Whether `value` would be written as `null` or `[]`.
fn is_absent<T: Serialize + ?Sized>(value: &T) -> bool {
    matches!(value.serialize(Probe), Err(Verdict::Absent))
}

/// Forwards to the serializer it wraps, compacting every level below.
struct Compactor<S>(S);

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.0.$method($($arg),*)
        })*
    };
}

impl<S: Serializer> Serializer for Compactor<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Elements<S::SerializeSeq>;
    type SerializeTuple = Elements<S::SerializeTuple>;
    type SerializeTupleStruct = Elements<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Elements<S::SerializeTupleVariant>;
    type SerializeMap = Entries<S::SerializeMap>;
    type SerializeStruct = Entries<S::SerializeStruct>;
    type SerializeStructVariant = Entries<S::SerializeStructVariant>;

    forward! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_f32(v: f32);
        serialize_f64(v: f64);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Compact(value))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_variant(name, index, variant, &Compact(value))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Elements)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(Elements)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(Elements)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.0.serialize_tuple_variant(name, index, variant, len).map(Elements)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        self.0.serialize_map(len).map(Entries)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(Entries)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.0.serialize_struct_variant(name, index, variant, len).map(Entries)
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.collect_str(value)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The elements of a sequence or tuple: all kept (a list's nulls are positions), compacted.
struct Elements<C>(C);

macro_rules! elements {
    ($($trait:ident::$method:ident),*) => {
        $(impl<C: $trait> $trait for Elements<C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
                self.0.$method(&Compact(value))
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                self.0.end()
            }
        })*
    };
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The members of a map or struct: absent ones skipped, the rest compacted.
struct Entries<C>(C);

impl<C: SerializeMap> SerializeMap for Entries<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    // A key alone cannot be judged: an entry given in two halves is kept. `Value`, maps and
    // flattened structs all give whole entries.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), C::Error> {
        self.0.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        self.0.serialize_value(&Compact(value))
    }

    fn serialize_entry<K, V>(&mut self, key: &K, value: &V) -> Result<(), C::Error>
    where
        K: Serialize + ?Sized,
        V: Serialize + ?Sized,
    {
        if is_absent(value) { Ok(()) } else { self.0.serialize_entry(key, &Compact(value)) }
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.0.end()
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl<C: $trait> $trait for Entries<C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), C::Error> {
                if is_absent(value) {
                    self.0.skip_field(key)
                } else {
                    self.0.serialize_field(key, &Compact(value))
                }
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                self.0.end()
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

/// Answers whether a value is absent by failing with the verdict at the first step.
struct Probe;

#[derive(Debug)]
enum Verdict {
    /// Written as `null` or `[]`.
    Absent,
    /// Anything else.
    Present,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Absent => "absent",
            Self::Present => "present",
        })
    }
}

impl std::error::Error for Verdict {}

impl ser::Error for Verdict {
    fn custom<T: fmt::Display>(_: T) -> Self {
        // A value that fails to serialize is not skipped: the real pass reports its error.
        Self::Present
    }
}

macro_rules! present {
    ($($method:ident($($ty:ty),*);)*) => {
        $(fn $method(self, $(_: $ty),*) -> Result<(), Verdict> {
            Err(Verdict::Present)
        })*
    };
}

impl Serializer for Probe {
    type Ok = ();
    type Error = Verdict;
    type SerializeSeq = Impossible<(), Verdict>;
    type SerializeTuple = Impossible<(), Verdict>;
    type SerializeTupleStruct = Impossible<(), Verdict>;
    type SerializeTupleVariant = Impossible<(), Verdict>;
    type SerializeMap = Impossible<(), Verdict>;
    type SerializeStruct = Impossible<(), Verdict>;
    type SerializeStructVariant = Impossible<(), Verdict>;

    present! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_none(self) -> Result<(), Verdict> {
        Err(Verdict::Absent)
    }

    fn serialize_unit(self) -> Result<(), Verdict> {
        Err(Verdict::Absent)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Verdict> {
        Err(Verdict::Absent)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Verdict> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Verdict> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Verdict> {
        Err(Verdict::Present)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, Verdict> {
        Err(if len == Some(0) { Verdict::Absent } else { Verdict::Present })
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Verdict> {
        Err(Verdict::Present)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Verdict> {
        Err(Verdict::Present)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Verdict> {
        Err(Verdict::Present)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Verdict> {
        Err(Verdict::Present)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Verdict> {
        Err(Verdict::Present)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Verdict> {
        Err(Verdict::Present)
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<(), Verdict> {
        Err(Verdict::Present)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::{Value, json};

    use super::Compact;

    fn compact(value: &impl Serialize) -> Value {
        serde_json::from_str(&serde_json::to_string(&Compact(value)).unwrap()).unwrap()
    }

    #[derive(Serialize)]
    struct Inner {
        id: u32,
        note: Option<String>,
        tags: Vec<String>,
    }

    #[derive(Serialize)]
    struct Outer {
        name: &'static str,
        missing: Option<u32>,
        empty: Vec<u32>,
        inner: Option<Inner>,
        items: Vec<Inner>,
        unit: (),
        #[serde(flatten)]
        extra: BTreeMap<String, Option<u32>>,
    }

    #[test]
    fn nulls_and_empty_arrays_go_at_every_depth() {
        let inner = || Inner { id: 1, note: None, tags: vec![] };
        let outer = Outer {
            name: "a",
            missing: None,
            empty: vec![],
            inner: Some(inner()),
            items: vec![inner(), Inner { id: 2, note: Some("n".into()), tags: vec!["t".into()] }],
            unit: (),
            extra: BTreeMap::from([("kept".into(), Some(3)), ("dropped".into(), None)]),
        };
        assert_eq!(
            compact(&outer),
            json!({
                "name": "a",
                "inner": {"id": 1},
                "items": [{"id": 1}, {"id": 2, "note": "n", "tags": ["t"]}],
                "kept": 3,
            })
        );
    }

    #[test]
    fn values_compact_like_typed_data() {
        let value = json!({
            "a": null,
            "b": [],
            "c": {"d": null, "e": [null, 1], "f": {}},
            "g": [{"h": null}],
            "i": false,
            "j": 0,
            "k": "",
        });
        assert_eq!(
            compact(&value),
            json!({"c": {"e": [null, 1], "f": {}}, "g": [{}], "i": false, "j": 0, "k": ""})
        );
    }

    #[test]
    fn a_top_level_null_or_list_stays() {
        assert_eq!(compact(&Value::Null), Value::Null);
        assert_eq!(compact(&Vec::<u32>::new()), json!([]));
        assert_eq!(compact(&vec![json!({"a": null})]), json!([{}]));
    }
}
