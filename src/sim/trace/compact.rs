//! How the trace stores an event's details: only the fields that are set.
//!
//! [`TraceDetails`] has a slot for every field any kind of event uses, about
//! thirty of them and some 430 bytes, while one event sets three to six.
//! Stored as is, a run of a million events spent most of its trace time
//! writing, copying (as the trace grew), paging in and dropping empty slots.
//! So the trace keeps the set fields of each event as a short list, in
//! [`TraceDetails`]'s field order, and reads them back with accessors named
//! after the fields. The JSON is unchanged: the same names, in the same order,
//! with unset fields left out (the tests below compare it with
//! `TraceDetails`'s own).
//!
//! The list lives inside the event for up to [`INLINE`] fields, which covers
//! every event of the broker; only longer ones (some function events) go to
//! the heap. An allocation per event cost about as much as the empty slots
//! it replaced: a million small boxes kept the allocator busy merging and
//! splitting free chunks.

use std::borrow::Cow;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::details::TraceDetails;
use super::{DestinationKind, MessageId};
use crate::sim::name::Name;

/// Declares the stored fields once and derives from that list the `Field`
/// enum, the conversions to and from [`TraceDetails`], the accessors and the
/// serialization, so the four cannot disagree about names or order.
///
/// Each line is `Variant(field: kind StoredType)`, where the kind says how
/// the `TraceDetails` field is "set" and what its accessor returns:
///
/// - `name`: `Option<Name>`; the accessor returns `Option<&Name>`.
/// - `value`: `Option<T>` of a `Copy` type; returns `Option<T>`.
/// - `text`: `Option<Cow<'static, str>>`; returns `Option<&str>`.
/// - `copy`: a `u8` that is set when not 0; returns the `u8`.
/// - `list`: a `Vec<u64>` that is set when not empty; returns a slice.
///
/// Texts and lists are boxed in storage so that every field stays one word
/// of value and a tag: a rare wide field would otherwise widen every stored
/// one.
macro_rules! compact_fields {
    ($($variant:ident($field:ident: $kind:ident $stored:ty);)*) => {
        /// One set field and its value.
        // `Box<Vec<u64>>` is one word where `Vec` is three (see above).
        #[allow(clippy::box_collection)]
        #[derive(Clone, Debug, PartialEq, Eq)]
        enum Field {
            $($variant($stored),)*
        }

        impl From<TraceDetails> for CompactDetails {
            // Inlined into each `record` call, the checks of fields the
            // caller left at their defaults fold away, and the wide struct
            // need not be built in memory at all.
            #[inline(always)]
            fn from(details: TraceDetails) -> Self {
                let set = 0 $(+ usize::from(compact_fields!(@is_set $kind details.$field)))*;
                let mut slots = SlotsBuilder::with_room(set);
                $(
                    if let Some(value) = compact_fields!(@store $kind details.$field) {
                        slots.push(Field::$variant(value));
                    }
                )*
                CompactDetails { slots: slots.finish() }
            }
        }

        impl CompactDetails {
            /// Heap bytes the set fields hold (texts, names and lists; a
            /// name is counted as if not shared), for the trace's budget.
            pub(crate) fn heap_bytes(&self) -> usize {
                let spilled = match &self.slots {
                    Slots::Inline(_) => 0,
                    Slots::Spilled(slots) => slots.len() * std::mem::size_of::<Option<Field>>(),
                };
                spilled + self.fields().map(|field| match field {
                    $(Field::$variant(value) => compact_fields!(@heap $kind value),)*
                }).sum::<usize>()
            }

            /// The details as the plain struct (allocates; for callers that
            /// want to edit or compare whole details).
            pub fn to_details(&self) -> TraceDetails {
                let mut details = TraceDetails::default();
                for field in self.fields() {
                    match field {
                        $(Field::$variant(value) => {
                            details.$field = compact_fields!(@load $kind value);
                        })*
                    }
                }
                details
            }

            $(
                #[doc = concat!("`TraceDetails::", stringify!($field), "`.")]
                pub fn $field(&self) -> compact_fields!(@out $kind $stored) {
                    let found = self.fields().find_map(|field| match field {
                        Field::$variant(value) => Some(value),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    });
                    compact_fields!(@get $kind found)
                }
            )*
        }

        impl Serialize for CompactDetails {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                // The derived `TraceDetails` impl writes a struct of its set
                // fields; this writes the same struct from the stored ones.
                let mut out = serializer.serialize_struct("TraceDetails", self.fields().count())?;
                for field in self.fields() {
                    match field {
                        $(Field::$variant(value) => out.serialize_field(stringify!($field), value)?,)*
                    }
                }
                out.end()
            }
        }
    };

    (@is_set name $e:expr) => { $e.is_some() };
    (@is_set value $e:expr) => { $e.is_some() };
    (@is_set text $e:expr) => { $e.is_some() };
    (@is_set copy $e:expr) => { $e != 0 };
    (@is_set list $e:expr) => { !$e.is_empty() };

    (@store name $e:expr) => { $e };
    (@store value $e:expr) => { $e };
    (@store text $e:expr) => { $e.map(Box::new) };
    (@store copy $e:expr) => { Some($e).filter(|copy| *copy != 0) };
    (@store list $e:expr) => { Some($e).filter(|list| !list.is_empty()).map(Box::new) };

    (@load name $v:expr) => { Some($v.clone()) };
    (@load value $v:expr) => { Some(*$v) };
    (@load text $v:expr) => { Some((**$v).clone()) };
    (@load copy $v:expr) => { *$v };
    (@load list $v:expr) => { (**$v).clone() };

    (@heap name $v:expr) => { $v.len() + 40 };
    (@heap value $v:expr) => { { let _ = $v; 0 } };
    (@heap text $v:expr) => { $v.len() + 40 };
    (@heap copy $v:expr) => { { let _ = $v; 0 } };
    (@heap list $v:expr) => { $v.len() * 8 + 48 };

    (@out name $t:ty) => { Option<&Name> };
    (@out value $t:ty) => { Option<$t> };
    (@out text $t:ty) => { Option<&str> };
    (@out copy $t:ty) => { u8 };
    (@out list $t:ty) => { &[u64] };

    (@get name $found:expr) => { $found };
    (@get value $found:expr) => { $found.copied() };
    (@get text $found:expr) => { $found.map(|text| &***text) };
    (@get copy $found:expr) => { $found.copied().unwrap_or(0) };
    (@get list $found:expr) => { $found.map_or(&[][..], |list| &list[..]) };
}

/// The set fields of an event's details, in [`TraceDetails`] field order.
/// Read them with the accessor named after the field
/// (`event.details.queue()`); build them from a [`TraceDetails`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompactDetails {
    slots: Slots,
}

/// Fields stored in the event itself; enough for every broker event.
const INLINE: usize = 6;

/// The set fields, each in a slot. Inline slots after the last field are
/// `None`; spilled slots are all `Some` (an `Option` costs no space here, as
/// `Field` has spare tag values).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Slots {
    Inline([Option<Field>; INLINE]),
    Spilled(Box<[Option<Field>]>),
}

impl Default for Slots {
    fn default() -> Self {
        Slots::Inline(Default::default())
    }
}

/// Fills [`Slots`] in field order, inline when the fields fit.
enum SlotsBuilder {
    Inline([Option<Field>; INLINE], usize),
    Spilled(Vec<Option<Field>>),
}

impl SlotsBuilder {
    #[inline(always)]
    fn with_room(fields: usize) -> Self {
        if fields <= INLINE {
            SlotsBuilder::Inline(Default::default(), 0)
        } else {
            SlotsBuilder::Spilled(Vec::with_capacity(fields))
        }
    }

    #[inline(always)]
    fn push(&mut self, field: Field) {
        match self {
            SlotsBuilder::Inline(slots, len) => {
                slots[*len] = Some(field);
                *len += 1;
            }
            SlotsBuilder::Spilled(slots) => slots.push(Some(field)),
        }
    }

    #[inline(always)]
    fn finish(self) -> Slots {
        match self {
            SlotsBuilder::Inline(slots, _) => Slots::Inline(slots),
            SlotsBuilder::Spilled(slots) => Slots::Spilled(slots.into_boxed_slice()),
        }
    }
}

compact_fields! {
    Queue(queue: name Name);
    Topic(topic: name Name);
    Subscription(subscription: name Name);
    Destination(destination: name Name);
    DestinationKind(destination_kind: value DestinationKind);
    GroupId(group_id: name Name);
    DedupId(dedup_id: name Name);
    Copy(copy: copy u8);
    SequenceNumber(sequence_number: value u64);
    ReceiptHandle(receipt_handle: value u64);
    ReceiveCount(receive_count: value u32);
    ReceiveRequest(receive_request: value u64);
    Attempt(attempt: value u32);
    NextAtMs(next_at_ms: value u64);
    RelatedMessageId(related_message_id: value MessageId);
    Reason(reason: text Box<Cow<'static, str>>);
    Function(function: name Name);
    Mapping(mapping: name Name);
    Environment(environment: value u64);
    RequestId(request_id: name Name);
    ColdStart(cold_start: value bool);
    DurationMs(duration_ms: value u64);
    ErrorKind(error_kind: text Box<Cow<'static, str>>);
    Line(line: value u32);
    Column(column: value u32);
    Key(key: name Name);
    Version(version: name Name);
    Concurrency(concurrency: value u32);
    Client(client: name Name);
    Call(call: value u64);
    StatusCode(status_code: value u16);
    ReceiptHandles(receipt_handles: list Box<Vec<u64>>);
    FailedReceiptHandles(failed_receipt_handles: list Box<Vec<u64>>);
    Workflow(workflow: name Name);
    Execution(execution: name Name);
    Step(step: name Name);
}

impl CompactDetails {
    /// True if no field is set.
    pub fn is_empty(&self) -> bool {
        self.fields().next().is_none()
    }

    /// The set fields, in field order.
    fn fields(&self) -> impl Iterator<Item = &Field> {
        let slots = match &self.slots {
            Slots::Inline(slots) => &slots[..],
            Slots::Spilled(slots) => &slots[..],
        };
        slots.iter().map_while(Option::as_ref)
    }
}

impl<'de> Deserialize<'de> for CompactDetails {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        TraceDetails::deserialize(deserializer).map(CompactDetails::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field set, none at its default.
    fn full() -> TraceDetails {
        let name = |text: &str| Some(Name::from(text));
        TraceDetails {
            queue: name("q"),
            topic: name("t"),
            subscription: name("s"),
            destination: name("d"),
            destination_kind: Some(DestinationKind::Function),
            group_id: name("g"),
            dedup_id: name("dd"),
            copy: 1,
            sequence_number: Some(2),
            receipt_handle: Some(3),
            receive_count: Some(4),
            receive_request: Some(5),
            attempt: Some(6),
            next_at_ms: Some(7),
            related_message_id: Some(MessageId(8)),
            reason: Some(Cow::Borrowed("why")),
            function: name("f"),
            mapping: name("m"),
            environment: Some(9),
            request_id: name("r"),
            cold_start: Some(false),
            duration_ms: Some(10),
            error_kind: Some(Cow::Owned("Thrown".into())),
            line: Some(11),
            column: Some(12),
            key: name("k"),
            version: name("v"),
            concurrency: Some(13),
            client: name("c"),
            call: Some(17),
            status_code: Some(429),
            receipt_handles: vec![14, 15],
            failed_receipt_handles: vec![16],
            workflow: name("w"),
            execution: name("e"),
            step: name("st"),
        }
    }

    fn same_json(details: TraceDetails) {
        let wide = serde_json::to_string(&details).unwrap();
        let compact = CompactDetails::from(details.clone());
        assert_eq!(serde_json::to_string(&compact).unwrap(), wide);
        assert_eq!(compact.to_details(), details);
        let back: CompactDetails = serde_json::from_str(&wide).unwrap();
        assert_eq!(back, compact);
    }

    #[test]
    fn json_matches_the_plain_struct_field_for_field() {
        same_json(TraceDetails::default());
        same_json(full());
        // Each field alone, so a swapped name or a wrong "set" rule shows.
        let all = serde_json::to_value(full()).unwrap();
        for key in all.as_object().unwrap().keys() {
            let mut one = serde_json::Map::new();
            one.insert(key.clone(), all[key].clone());
            let details: TraceDetails = serde_json::from_value(one.into()).unwrap();
            same_json(details);
        }
    }

    #[test]
    fn stored_fields_stay_small() {
        // A tag and one word: the reason the trace stores fields this way.
        assert!(std::mem::size_of::<Field>() <= 16);
        assert!(std::mem::size_of::<CompactDetails>() <= 16 * INLINE + 8);
    }

    #[test]
    fn accessors_read_set_and_unset_fields() {
        let compact = CompactDetails::from(full());
        assert_eq!(compact.queue().map(Name::as_str), Some("q"));
        assert_eq!(compact.copy(), 1);
        assert_eq!(compact.reason(), Some("why"));
        assert_eq!(compact.related_message_id(), Some(MessageId(8)));
        assert_eq!(compact.failed_receipt_handles(), &[16]);
        let empty = CompactDetails::default();
        assert!(empty.is_empty());
        assert_eq!(empty.queue(), None);
        assert_eq!(empty.copy(), 0);
        assert_eq!(empty.receipt_handles(), &[] as &[u64]);
    }
}
