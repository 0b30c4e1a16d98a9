//! `Client::from_env` reads the process environment. This binary holds this one test only,
//! so no other thread reads or writes the environment while it changes it.

use jdcloud_vm::{Client, ConfigError};

const VARIABLES: [&str; 4] = [
    "JDCLOUD_ACCESS_KEY",
    "JDCLOUD_SECRET_KEY",
    "JDCLOUD_SECURITY_TOKEN",
    "JDCLOUD_ENDPOINT",
];

fn set(name: &str, value: &str) {
    // SAFETY: the only test of this binary; nothing else touches the environment meanwhile.
    unsafe { std::env::set_var(name, value) }
}

#[test]
fn from_env_reads_credentials_and_endpoint() {
    for name in VARIABLES {
        // SAFETY: as in `set`.
        unsafe { std::env::remove_var(name) }
    }
    let error = Client::from_env().unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::MissingVariable {
                name: "JDCLOUD_ACCESS_KEY"
            }
        ),
        "{error:?}"
    );

    set("JDCLOUD_ACCESS_KEY", "AKFROMENV0001");
    set("JDCLOUD_SECRET_KEY", "secret-from-env-0001");
    set("JDCLOUD_SECURITY_TOKEN", "token-from-env-0001");
    let client = Client::from_env().unwrap();
    assert_eq!(
        client.runtime().base_url().as_str(),
        "https://vm.jdcloud-api.com/v1"
    );
    let shown = format!("{client:?}");
    assert!(shown.contains("AKFROMENV0001"), "{shown}");
    assert!(
        !shown.contains("secret-from-env-0001") && !shown.contains("token-from-env-0001"),
        "{shown}"
    );

    set("JDCLOUD_ENDPOINT", "http://127.0.0.1:8080");
    let client = Client::from_env().unwrap();
    assert_eq!(
        client.runtime().base_url().as_str(),
        "http://127.0.0.1:8080/v1"
    );

    set("JDCLOUD_ENDPOINT", "http://127.0.0.1:8080/v2?x=1");
    let error = Client::from_env().unwrap_err().to_string();
    assert!(
        error.contains("JDCLOUD_ENDPOINT") && error.contains("path"),
        "{error}"
    );
    assert!(!error.contains("secret-from-env-0001"), "{error}");
}
