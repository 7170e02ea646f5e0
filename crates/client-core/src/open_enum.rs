//! `open_enum!`: a string enum that keeps values it does not know. Vendors
//! add values (a new membership state, a new role); with a closed enum, a
//! successful response would become a decode error. Unknown values land in
//! `Other(String)` and are sent back unchanged.

/// Defines an open string enum: known variants with their wire strings,
/// plus `Other(String)`. Implements `Serialize`, `Deserialize`, `Display`,
/// `FromStr` (infallible) and `as_str`.
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this client does not know yet, kept as sent.
            Other(::std::string::String),
        }

        impl $name {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(s) => s.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(match s {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_string()),
                })
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as $crate::__serde::Deserialize>::deserialize(d)?;
                Ok(match s.parse() {
                    Ok(v) => v,
                    Err(never) => match never {},
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::open_enum! {
        /// A test enum.
        pub enum State { Active = "active", Pending = "pending" }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        let v: Vec<State> = serde_json::from_str(r#"["active","suspended"]"#).unwrap();
        assert_eq!(v, [State::Active, State::Other("suspended".into())]);
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"["active","suspended"]"#);
        assert_eq!(State::Pending.to_string(), "pending");
    }
}
