//! `progenitor-gen SPEC.json OUT_DIR`: progenitor's generated client for SPEC, written as
//! `OUT_DIR/src/lib.rs` (formatted with prettyplease, as progenitor's own build.rs example does).

use std::path::Path;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out] = args.as_slice() else {
        return Err("usage: progenitor-gen SPEC.json OUT_DIR".to_owned());
    };
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{spec}: {e}"))?;
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(&text).map_err(|e| format!("{spec}: {e}"))?;
    let mut generator = progenitor::Generator::default();
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor: {e}"))?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("syn: {e}"))?;
    let src = Path::new(out).join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let lib = src.join("lib.rs");
    std::fs::write(&lib, prettyplease::unparse(&file)).map_err(|e| format!("{}: {e}", lib.display()))
}
