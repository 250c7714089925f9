//! Reading JSON files with errors that name the file and the JSON pointer of
//! the offending value.

use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};

/// A case file that could not be read or does not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: PathBuf,
    /// JSON pointer of the offending value (`""` for the whole document).
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{} at {}: {}",
                self.file.display(),
                self.pointer,
                self.message
            )
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads and parses a JSON file.
pub fn read_json(path: &Path) -> Result<Value, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| LoadError {
        file: path.to_path_buf(),
        pointer: String::new(),
        message: format!("cannot read: {e}"),
    })?;
    serde_json::from_str(&text).map_err(|e| LoadError {
        file: path.to_path_buf(),
        pointer: String::new(),
        message: format!("not JSON: {e}"),
    })
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A cursor into a JSON document that knows its file and JSON pointer, so
/// every typed accessor can fail with a precise [`LoadError`].
#[derive(Debug)]
pub struct Node<'a> {
    pub file: &'a Path,
    pub value: &'a Value,
    pub pointer: String,
}

impl<'a> Node<'a> {
    /// The document root.
    pub fn root(file: &'a Path, value: &'a Value) -> Self {
        Node {
            file,
            value,
            pointer: String::new(),
        }
    }

    /// An error located at this node.
    pub fn error(&self, message: impl Into<String>) -> LoadError {
        LoadError {
            file: self.file.to_path_buf(),
            pointer: self.pointer.clone(),
            message: message.into(),
        }
    }

    /// The member `key`, if present (JSON `null` counts as absent).
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(Node {
                file: self.file,
                value: v,
                pointer: format!("{}/{}", self.pointer, escape_token(key)),
            }),
        }
    }

    /// The member `key`, required.
    pub fn req(&self, key: &str) -> Result<Node<'a>, LoadError> {
        self.get(key)
            .ok_or_else(|| self.error(format!("missing member {key:?}")))
    }

    /// Members of an object, in document order.
    pub fn members(&self) -> Result<Vec<(&'a str, Node<'a>)>, LoadError> {
        let obj = self
            .value
            .as_object()
            .ok_or_else(|| self.error("expected an object"))?;
        Ok(obj
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    Node {
                        file: self.file,
                        value: v,
                        pointer: format!("{}/{}", self.pointer, escape_token(k)),
                    },
                )
            })
            .collect())
    }

    /// Elements of an array.
    pub fn elements(&self) -> Result<Vec<Node<'a>>, LoadError> {
        let arr = self
            .value
            .as_array()
            .ok_or_else(|| self.error("expected an array"))?;
        Ok(arr
            .iter()
            .enumerate()
            .map(|(i, v)| Node {
                file: self.file,
                value: v,
                pointer: format!("{}/{i}", self.pointer),
            })
            .collect())
    }

    /// A string value.
    pub fn str(&self) -> Result<&'a str, LoadError> {
        self.value
            .as_str()
            .ok_or_else(|| self.error(format!("expected a string, got {}", kind(self.value))))
    }

    /// An owned string value.
    pub fn string(&self) -> Result<String, LoadError> {
        self.str().map(str::to_owned)
    }

    /// A boolean value.
    pub fn bool(&self) -> Result<bool, LoadError> {
        self.value
            .as_bool()
            .ok_or_else(|| self.error(format!("expected a boolean, got {}", kind(self.value))))
    }

    /// A non-negative integer value.
    pub fn u64(&self) -> Result<u64, LoadError> {
        self.value.as_u64().ok_or_else(|| {
            self.error(format!(
                "expected a non-negative integer, got {}",
                kind(self.value)
            ))
        })
    }

    /// An array of strings.
    pub fn strings(&self) -> Result<Vec<String>, LoadError> {
        self.elements()?.iter().map(Node::string).collect()
    }
}

/// A short name of a JSON value's kind, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_file_and_pointer() {
        let v = json!({"a": [{"b/c": 1}]});
        let file = Path::new("x/meta.json");
        let root = Node::root(file, &v);
        let a = root.req("a").unwrap();
        let el = &a.elements().unwrap()[0];
        let e = el.req("b/c").unwrap().str().unwrap_err();
        assert_eq!(e.pointer, "/a/0/b~1c");
        assert_eq!(
            e.to_string(),
            "x/meta.json at /a/0/b~1c: expected a string, got a number"
        );
        let e = root.req("zz").unwrap_err();
        assert_eq!(e.to_string(), "x/meta.json: missing member \"zz\"");
    }
}
