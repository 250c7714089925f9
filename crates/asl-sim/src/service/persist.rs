//! `--state-file`: the service state as one JSON document, written
//! atomically (temporary file, fsync, rename, fsync of the directory) and
//! checked on load (format tag, version, SHA-256 of the state).

use super::records::State;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::Path;

const FORMAT: &str = "asl-sim-state";
const VERSION: u64 = 1;

fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Serialises `state` into the file format.
pub fn encode(state: &State) -> String {
    let body = serde_json::to_string(state).unwrap_or_else(|_| "{}".into());
    format!(
        "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\"sha256\":\"{}\",\"state\":{body}}}\n",
        digest(&body)
    )
}

/// Parses the file format; every problem is a sentence naming what is wrong.
pub fn decode(text: &str) -> Result<State, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))?;
    if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(format!(
            "not an asl-sim state file (no \"format\": \"{FORMAT}\")"
        ));
    }
    if v.get("version").and_then(|f| f.as_u64()) != Some(VERSION) {
        return Err(format!(
            "unsupported state file version (expected {VERSION})"
        ));
    }
    let state = v.get("state").ok_or("no \"state\" member")?;
    let body = serde_json::to_string(state).map_err(|e| e.to_string())?;
    if v.get("sha256").and_then(|s| s.as_str()) != Some(digest(&body).as_str()) {
        return Err("checksum mismatch: the file was modified or truncated".into());
    }
    serde_json::from_value(state.clone())
        .map_err(|e| format!("state does not match the schema ({e})"))
}

/// Loads a state file; `Ok(None)` when it does not exist yet.
pub fn load(path: &Path) -> Result<Option<State>, String> {
    match fs::read_to_string(path) {
        Ok(text) => decode(&text)
            .map(Some)
            .map_err(|e| format!("state file {} is corrupt: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read state file {}: {e}", path.display())),
    }
}

/// Writes a state file atomically.
pub fn save(path: &Path, state: &State) -> std::io::Result<()> {
    let text = encode(state);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("asl-sim-state")
    ));
    {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let s = State {
            ids_issued: 7,
            ..Default::default()
        };
        let text = encode(&s);
        assert_eq!(decode(&text).unwrap().ids_issued, 7);
        let tampered = text.replace("\"idsIssued\":7", "\"idsIssued\":8");
        assert!(decode(&tampered).unwrap_err().contains("checksum"));
        assert!(decode(&text[..text.len() / 2]).is_err());
        assert!(decode("{}")
            .unwrap_err()
            .contains("not an asl-sim state file"));
    }
}
