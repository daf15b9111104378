//! Files given to console commands: `upload FILE name:…` (and `/pack upload file:FILE name:…`) stand for a Discord
//! attachment. The file is read as Discord's front end downloads one: not at all when it is larger than a pack may
//! be (the core then says so from its size), else whole.

use crate::commands::Upload;
use std::io::Read;
use std::path::Path;

/// Read the file an upload names by its path (relative to where the console runs). Its name becomes the file's own
/// name, as an attachment has; what cannot be read is a message naming the path.
pub fn read(upload: &mut Upload) -> Result<(), String> {
    let path = Path::new(&upload.filename).to_path_buf();
    let shown = crate::commands::request::shown(&upload.filename);
    let meta = std::fs::metadata(&path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "`{shown}` is not a file: give the path of a CSV or TOML question pack"
        ));
    }
    upload.filename = path
        .file_name()
        .map_or_else(|| upload.filename.clone(), |n| n.to_string_lossy().into_owned());
    upload.size = meta.len();
    if meta.len() > crate::packs::MAX_BYTES {
        upload.bytes = None;
        return Ok(());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(crate::packs::MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    upload.size = bytes.len() as u64;
    upload.bytes = Some(bytes.into());
    Ok(())
}
