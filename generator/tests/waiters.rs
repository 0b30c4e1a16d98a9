//! `x-sdk-waiters` and `x-sdk-idempotency-token` declarations the generator refuses or
//! warns about, each naming the place and what is wrong.

/// A spec whose `getMachine` declares `waiters` (YAML, indented for the operation) and whose
/// `createMachine` body has a `clientToken` property of `token_schema`.
fn spec(waiters: &str, token_schema: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: W, version: '1'}}
paths:
  /machines/{{id}}:
    get:
      operationId: getMachine
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
        - {{name: diskIds, in: query, schema: {{type: array, items: {{type: string}}}}}}
        - {{name: status, in: query, schema: {{type: string}}}}
{waiters}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  machine:
                    type: object
                    properties:
                      status: {{type: string, enum: [pending, running, error]}}
                      tags: {{type: array, items: {{type: string}}}}
                      disks:
                        type: array
                        items:
                          type: object
                          properties:
                            state: {{type: string, enum: [attaching, attached, failed]}}
                            labels: {{type: array, items: {{type: string}}}}
  /machines:
    post:
      operationId: createMachine
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {{type: string}}
                clientToken: {token_schema}
      responses:
        '204': {{description: created}}
"#
    )
}

fn waiter(body: &str) -> String {
    format!("      x-sdk-waiters:\n        running:\n{body}")
}

const GOOD: &str = "          state: machine.status\n          success: [running]\n          failure: [error]\n          interval: 1\n          maxWait: 10\n";

fn error_of(text: &str) -> String {
    match sdkgen::generate_str("w.yaml", text, &sdkgen::Settings::default()) {
        Ok(_) => panic!("generated:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const TOKEN: &str = "{type: string, x-sdk-idempotency-token: true}";
const AT: &str = "w.yaml#/paths/~1machines~1{id}/get/x-sdk-waiters";

#[test]
fn a_good_waiter_and_token_generate_without_warnings() {
    let generated =
        sdkgen::generate_str("w.yaml", &spec(&waiter(GOOD), TOKEN), &Default::default())
            .expect("generates");
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let file = &generated.files["operations/get_machine.rs"];
    assert!(file.contains("pub async fn wait_until_running("), "{file}");
    let create = &generated.files["operations/create_machine.rs"];
    assert!(
        create.contains("get_or_insert_with(idempotency_token)"),
        "{create}"
    );
    assert!(create.contains(".idempotent(true)"), "{create}");
}

#[test]
fn a_state_path_through_a_missing_field_is_an_error_naming_it() {
    let text = spec(
        &waiter(&GOOD.replace("machine.status", "machine.state")),
        TOKEN,
    );
    let error = error_of(&text);
    assert!(
        error.starts_with(&format!("{AT}/running/state: `machine.state`: `"))
            && error.ends_with("has no field `state`"),
        "{error}"
    );
}

#[test]
fn a_state_that_is_not_a_scalar_is_an_error() {
    let text = spec(
        &waiter(&GOOD.replace("machine.status", "machine.tags")),
        TOKEN,
    );
    assert_eq!(
        error_of(&text),
        format!("{AT}/running/state: `machine.tags` is not a string, number or enum")
    );
}

/// `GOOD` polling `path` for `success` (and no failure state).
fn polling(path: &str, success: &str) -> String {
    let body = GOOD
        .replace("machine.status", path)
        .replace("[running]", success)
        .replace("          failure: [error]\n", "");
    spec(&waiter(&body), TOKEN)
}

#[test]
fn a_path_through_an_array_reads_every_element() {
    for (path, success) in [
        ("machine.disks[].state", "[attached]"),
        ("machine.tags[]", "[ready]"),
    ] {
        let generated =
            sdkgen::generate_str("w.yaml", &polling(path, success), &Default::default())
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
        let file = &generated.files["operations/get_machine.rs"];
        assert!(file.contains("waiter::State::Each("), "{file}");
        assert!(file.contains(&format!("until `{path}` is")), "{file}");
    }
}

#[test]
fn a_bad_path_through_an_array_is_an_error_naming_it() {
    let at = format!("{AT}/running/state");
    let error = error_of(&polling("machine.disks[].stat", "[attached]"));
    assert!(
        error.starts_with(&format!("{at}: `machine.disks[].stat`: `"))
            && error.ends_with("has no field `stat`"),
        "{error}"
    );
    let cases = [
        (
            "machine.disks.state",
            "`machine.disks.state`: the value before `state` is an array; write `[]` after its field to judge every element",
        ),
        (
            "machine.disks[0].state",
            "`machine.disks[0].state`: `disks[0]` is neither a field nor `field[]` (every element)",
        ),
        (
            "machine.disks[].labels[]",
            "`machine.disks[].labels[]`: only one `[]` per path (the elements of nested arrays are not flattened)",
        ),
        (
            "machine.disks[]",
            "`machine.disks[]` is not a string, number or enum",
        ),
    ];
    for (path, message) in cases {
        assert_eq!(
            error_of(&polling(path, "[attached]")),
            format!("{at}: {message}")
        );
    }
    let error = error_of(&polling("machine.status[]", "[running]"));
    assert!(
        error.starts_with(&format!("{at}: `machine.status[]`: `status` of `"))
            && error.ends_with("is not an array"),
        "{error}"
    );
    let error = error_of(&polling("machine.disks[].state", "[atached]"));
    assert!(
        error.starts_with(&format!("{AT}/running: `atached` is not a value of `")),
        "{error}"
    );
}

#[test]
fn a_value_the_enum_lacks_is_an_error() {
    let text = spec(&waiter(&GOOD.replace("[running]", "[runing]")), TOKEN);
    let error = error_of(&text);
    assert!(
        error.starts_with(&format!("{AT}/running: `runing` is not a value of `")),
        "{error}"
    );
}

/// `GOOD` with `rules` (`requires` and `excludes` lines) added.
fn with_rules(rules: &str) -> String {
    spec(&waiter(&format!("{GOOD}{rules}")), TOKEN)
}

#[test]
fn required_and_excluded_parameters_are_checked_before_polling() {
    let text = with_rules("          requires: [diskIds]\n          excludes: [status]\n");
    let generated = sdkgen::generate_str("w.yaml", &text, &Default::default()).expect("generates");
    let file = &generated.files["operations/get_machine.rs"];
    let compact: String = file.split_whitespace().collect();
    for expected in [
        "ifself.disk_ids.as_ref().is_none_or(|value|value.is_empty()){returnErr(WaitError::MissingParameter{waiter:RUNNING_WAITER.name,parameter:\"diskIds\",});}",
        "ifself.status.is_some(){returnErr(WaitError::ExcludedParameter{waiter:RUNNING_WAITER.name,parameter:\"status\",});}",
        "///Needs`diskIds`(notempty)setontherequest;",
        "///Refusesarequestwith`status`set,",
    ] {
        assert!(compact.contains(expected), "{expected} in {file}");
    }
}

#[test]
fn required_and_excluded_parameters_must_be_optional_parameters() {
    let cases = [
        (
            "          requires: [diskIds, diskId]\n",
            "requires/1: `diskId` is not a parameter of this operation (its parameters: id, diskIds, status)",
        ),
        (
            "          excludes: [id]\n",
            "excludes/0: `id` is a required parameter, always set",
        ),
        (
            "          requires: [status, status]\n",
            "requires/1: `status` is listed twice",
        ),
        (
            "          requires: [diskIds]\n          excludes: [status, diskIds]\n",
            "requires/0: `diskIds` is both required and excluded",
        ),
    ];
    for (rules, message) in cases {
        assert_eq!(
            error_of(&with_rules(rules)),
            format!("{AT}/running/{message}")
        );
    }
}

#[test]
fn statuses_that_keep_waiting_are_error_statuses() {
    let text = with_rules("          keepWaitingOn: [404, 409]\n");
    let generated = sdkgen::generate_str("w.yaml", &text, &Default::default()).expect("generates");
    let file = &generated.files["operations/get_machine.rs"];
    assert!(file.contains("keep_waiting_on: &[404, 409],"), "{file}");
    assert!(
        file.contains("unless its HTTP status is 404 or 409, which keeps waiting."),
        "{file}"
    );
    for (statuses, message) in [
        (
            "[404, 200]",
            "1: `200` is not an HTTP error status (400-599)",
        ),
        ("[404, 404]", "1: `404` is listed twice"),
    ] {
        assert_eq!(
            error_of(&with_rules(&format!(
                "          keepWaitingOn: {statuses}\n"
            ))),
            format!("{AT}/running/keepWaitingOn/{message}")
        );
    }
}

#[test]
fn malformed_declarations_are_errors() {
    let unknown_key = spec(&waiter(&format!("{GOOD}          delay: 3\n")), TOKEN);
    assert!(error_of(&unknown_key).contains("unknown field `delay`"));
    let no_interval = spec(&waiter(&GOOD.replace("interval: 1", "interval: 0")), TOKEN);
    assert_eq!(
        error_of(&no_interval),
        format!("{AT}/running: waiter `running` needs 0 < interval <= maxWait (seconds)")
    );
    let twice = spec(&waiter(&GOOD.replace("[error]", "[error, running]")), TOKEN);
    assert_eq!(
        error_of(&twice),
        format!("{AT}/running: waiter `running` lists `running` more than once")
    );
}

#[test]
fn a_token_that_is_not_a_string_is_left_to_the_caller_with_a_warning() {
    let text = spec(
        &waiter(GOOD),
        "{type: integer, x-sdk-idempotency-token: true}",
    );
    let generated = sdkgen::generate_str("w.yaml", &text, &Default::default()).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "#/paths/~1machines/post/requestBody/content/application~1json/schema/properties/clientToken: idempotency token `clientToken` is not a string; the client does not fill it"
        ]
    );
    let create = &generated.files["operations/create_machine.rs"];
    assert!(!create.contains("idempotent(true)"), "{create}");
}
