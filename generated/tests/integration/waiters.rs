//! The image waiters against the signature-checking local server. `imageTasksFinished`,
//! whose state path goes through an array (`taskSet[].taskStatus`): an export followed by a
//! wait on its task, a failed task among finished ones, a task that never finishes, a
//! task list that stays empty, and queries the waiter refuses (no `taskIds`, a status
//! filter). `imageReady`: a created image becoming ready, turning `error`, and staying
//! `pending`. A 404 right after a create keeps `imageReady` and `instanceRunning`
//! waiting; another status ends a wait. `imagesReady`: the copies of `copyImages` waited for
//! together, one in `error`, and no `ids`. (`instanceRunning` is in `create_instance.rs`.)

use std::time::Duration;

use jdcloud_vm::models::{CopyImagesRequest, CreateImageRequest, ExportImageRequest};
use jdcloud_vm::runtime::{State, WaitError, WaitOptions};
use serde_json::{Value, json};

use super::server::{Reply, TestServer};

const FAST: WaitOptions = WaitOptions {
    interval: Duration::from_millis(5),
    max_wait: Duration::from_secs(5),
};

/// Gives up after a few polls.
const SHORT: WaitOptions = WaitOptions {
    interval: Duration::from_millis(10),
    max_wait: Duration::from_millis(60),
};

fn ok(result: Value) -> Reply {
    Reply::json(200, &json!({"requestId": "req-ok", "result": result}))
}

/// An `imageTasks` answer with one task per status.
fn tasks(statuses: &[&str]) -> Reply {
    let set: Vec<Value> = statuses
        .iter()
        .enumerate()
        .map(|(index, status)| json!({"taskId": format!("t-{index}"), "action": "ExportImage", "taskStatus": status}))
        .collect();
    ok(json!({"taskSet": set, "totalCount": set.len()}))
}

#[tokio::test]
async fn an_export_is_waited_for_until_its_task_finishes() {
    let server = TestServer::start(|_, index| match index {
        0 => ok(json!({"taskId": "t-0"})),
        1 => tasks(&["pending"]),
        2 => tasks(&["running"]),
        _ => tasks(&["finished"]),
    })
    .await;
    let client = super::client(&server);
    let body = ExportImageRequest {
        role_name: "jdcloud-vm-export".to_owned(),
        oss_url: "https://oss.example.com/bucket".to_owned(),
        oss_prefix: None,
        client_token: None,
        is_all_disk: None,
    };
    let exported = client
        .export_image("cn-north-1", "img-1", body)
        .await
        .expect("exported");
    let task_id = exported.task_id.clone().expect("a task id");

    let finished = client
        .image_tasks("cn-north-1")
        .task_action("ExportImage")
        .task_ids(vec![task_id])
        .wait_until_image_tasks_finished_with(FAST)
        .await
        .expect("finished");

    let set = finished.task_set.as_deref().unwrap_or_default();
    assert_eq!(set.len(), 1);
    assert_eq!(set[0].task_status.as_deref(), Some("finished"));
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "the export, then three polls");
    for poll in &requests[1..] {
        assert_eq!(
            (poll.method.as_str(), poll.path(), poll.query()),
            (
                "GET",
                "/v1/regions/cn-north-1/imageTasks",
                "taskAction=ExportImage&taskIds.1=t-0"
            )
        );
    }
    server.assert_all_signed();
}

#[tokio::test]
async fn a_failed_task_fails_the_wait_naming_the_element() {
    let server = TestServer::start(|_, index| match index {
        0 => tasks(&["running", "running"]),
        _ => tasks(&["finished", "failed"]),
    })
    .await;
    let error = super::client(&server)
        .image_tasks("cn-north-1")
        .task_ids(vec!["t-0".to_owned(), "t-1".to_owned()])
        .wait_until_image_tasks_finished_with(FAST)
        .await
        .expect_err("a task failed");

    assert!(
        matches!(&error, WaitError::Failed { state, element: Some(1), .. } if state == "failed"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "waiter `imageTasksFinished`: `taskSet[].taskStatus` of element 1 is `failed`, a failure state (request id req-ok)"
    );
    assert_eq!(server.requests().len(), 2);
}

/// Some tasks finished is not enough: the wait goes on until every one has (the count of
/// polls is fixed by the server's answers, not by timing), and a wait that runs out carries
/// every task's state.
#[tokio::test]
async fn some_tasks_finished_is_not_enough_and_the_timeout_carries_every_state() {
    let server = TestServer::start(|_, index| match index {
        0..=2 => tasks(&["finished", "running"]),
        _ => tasks(&["finished", "finished"]),
    })
    .await;
    super::client(&server)
        .image_tasks("cn-north-1")
        .task_ids(vec!["t-0".to_owned(), "t-1".to_owned()])
        .wait_until_image_tasks_finished_with(FAST)
        .await
        .expect("both finished");
    assert_eq!(
        server.requests().len(),
        4,
        "three polls waited, the fourth ended it"
    );

    let server = TestServer::start(|_, _| tasks(&["finished", "running"])).await;
    let error = super::client(&server)
        .image_tasks("cn-north-1")
        .task_ids(vec!["t-0".to_owned(), "t-1".to_owned()])
        .wait_until_image_tasks_finished_with(SHORT)
        .await
        .expect_err("one task never finishes");

    let WaitError::TimedOut {
        last_state, polls, ..
    } = &error
    else {
        panic!("expected a timeout, got {error:?}");
    };
    let expected = State::Each(vec![Some("finished".into()), Some("running".into())]);
    assert_eq!(last_state.as_ref(), Some(&expected));
    assert_eq!(*polls as usize, server.requests().len());
    assert!(
        error
            .to_string()
            .ends_with("last `taskSet[].taskStatus` seen: [finished, running]"),
        "{error}"
    );
}

/// Without `taskIds` the list holds every task, old failed ones too, and a `taskStatus`
/// filter hides tasks once they change state: the waiter refuses both before sending.
#[tokio::test]
async fn the_task_waiter_refuses_a_query_that_cannot_show_the_callers_tasks() {
    let server = TestServer::start(|_, _| tasks(&["failed", "finished"])).await;
    let client = super::client(&server);
    let error = client
        .image_tasks("cn-north-1")
        .task_action("ExportImage")
        .wait_until_image_tasks_finished_with(FAST)
        .await
        .expect_err("no taskIds");
    assert!(
        matches!(
            &error,
            WaitError::MissingParameter {
                parameter: "taskIds",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "waiter `imageTasksFinished` needs `taskIds` set on the request; nothing was sent"
    );
    let error = client
        .image_tasks("cn-north-1")
        .task_ids(Vec::new())
        .wait_until_image_tasks_finished()
        .await
        .expect_err("an empty taskIds sends none");
    assert!(
        matches!(
            &error,
            WaitError::MissingParameter {
                parameter: "taskIds",
                ..
            }
        ),
        "{error:?}"
    );

    let error = client
        .image_tasks("cn-north-1")
        .task_ids(vec!["t-0".to_owned()])
        .task_status("running")
        .wait_until_image_tasks_finished()
        .await
        .expect_err("a status filter");
    assert!(
        matches!(
            &error,
            WaitError::ExcludedParameter {
                parameter: "taskStatus",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with(
            "waiter `imageTasksFinished` cannot wait on a request with `taskStatus` set"
        ),
        "{error}"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

/// A task list that has not caught up with the export yet is not a success: the waiter waits
/// through an empty list (or none at all) and succeeds once the task shows up finished.
#[tokio::test]
async fn an_empty_task_list_keeps_waiting() {
    let server = TestServer::start(|_, index| match index {
        0 => ok(json!({"totalCount": 0})),
        1 => tasks(&[]),
        _ => tasks(&["finished"]),
    })
    .await;
    super::client(&server)
        .image_tasks("cn-north-1")
        .task_ids(vec!["t-0".to_owned()])
        .wait_until_image_tasks_finished_with(FAST)
        .await
        .expect("finished once listed");
    assert_eq!(server.requests().len(), 3);

    let server = TestServer::start(|_, _| tasks(&[])).await;
    let error = super::client(&server)
        .image_tasks("cn-north-1")
        .task_ids(vec!["t-0".to_owned()])
        .wait_until_image_tasks_finished_with(SHORT)
        .await
        .expect_err("never listed");
    assert!(
        matches!(&error, WaitError::TimedOut { last_state: Some(State::Each(states)), .. } if states.is_empty()),
        "{error:?}"
    );
    assert!(error.to_string().ends_with("seen: []"), "{error}");
}

fn image(status: &str) -> Reply {
    ok(json!({"image": {"imageId": "img-2", "status": status}}))
}

#[tokio::test]
async fn a_created_image_is_waited_for_until_ready() {
    let server = TestServer::start(|_, index| match index {
        0 => ok(json!({"imageId": "img-2"})),
        1 => image("pending"),
        _ => image("ready"),
    })
    .await;
    let client = super::client(&server);
    let body = CreateImageRequest {
        name: "web".to_owned(),
        description: None,
        data_disks: None,
    };
    let created = client
        .create_image("cn-north-1", "i-1", body)
        .await
        .expect("created");
    let image_id = created.image_id.clone().expect("an image id");
    let ready = client
        .describe_image("cn-north-1", image_id)
        .wait_until_image_ready_with(FAST)
        .await
        .expect("ready");
    let status = ready.image.as_ref().and_then(|i| i.status.as_ref());
    assert_eq!(status.map(ToString::to_string).as_deref(), Some("ready"));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].path(), "/v1/regions/cn-north-1/images/img-2");
    server.assert_all_signed();
}

#[tokio::test]
async fn an_image_in_error_fails_the_wait_and_one_never_ready_times_out() {
    let server = TestServer::start(|_, _| image("error")).await;
    let error = super::client(&server)
        .describe_image("cn-north-1", "img-2")
        .wait_until_image_ready_with(FAST)
        .await
        .expect_err("error is a failure state");
    assert_eq!(
        error.to_string(),
        "waiter `imageReady`: `image.status` is `error`, a failure state (request id req-ok)"
    );

    let server = TestServer::start(|_, _| image("pending")).await;
    let error = super::client(&server)
        .describe_image("cn-north-1", "img-2")
        .wait_until_image_ready_with(SHORT)
        .await
        .expect_err("never ready");
    assert!(
        matches!(&error, WaitError::TimedOut { last_state: Some(State::Value(state)), .. } if state == "pending"),
        "{error:?}"
    );
}

fn not_found() -> Reply {
    Reply::json(
        404,
        &json!({"requestId": "req-404", "error": {"code": 404, "status": "NOT_FOUND", "message": "not found"}}),
    )
}

/// Right after a create, the describe call may not know the new resource yet: `imageReady`
/// and `instanceRunning` keep waiting through a 404 (`keepWaitingOn`).
#[tokio::test]
async fn a_not_found_right_after_a_create_keeps_waiting() {
    let server = TestServer::start(|_, index| match index {
        0 | 1 => not_found(),
        _ => image("ready"),
    })
    .await;
    super::client(&server)
        .describe_image("cn-north-1", "img-2")
        .wait_until_image_ready_with(FAST)
        .await
        .expect("ready once found");
    assert_eq!(server.requests().len(), 3);

    let server = TestServer::start(|_, index| match index {
        0 => not_found(),
        _ => ok(json!({"instance": {"instanceId": "i-1", "status": "running"}})),
    })
    .await;
    super::client(&server)
        .describe_instance("cn-north-1", "i-1")
        .wait_until_instance_running_with(FAST)
        .await
        .expect("running once found");
    assert_eq!(server.requests().len(), 2);
    server.assert_all_signed();
}

/// A status the waiter does not list still ends the wait: a 404 for `imageTasksFinished`
/// (which lists none), a 400 for `imageReady` (which lists only 404).
#[tokio::test]
async fn a_status_the_waiter_does_not_list_ends_the_wait() {
    let server = TestServer::start(|_, _| not_found()).await;
    let error = super::client(&server)
        .image_tasks("cn-north-1")
        .task_ids(vec!["t-0".to_owned()])
        .wait_until_image_tasks_finished_with(FAST)
        .await
        .expect_err("not found");
    assert!(
        matches!(&error, WaitError::Poll { error, .. } if error.status().is_some_and(|s| s == 404)),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);

    let bad_request = json!({"requestId": "req-400", "error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "bad id"}});
    let server = TestServer::start(move |_, _| Reply::json(400, &bad_request)).await;
    let error = super::client(&server)
        .describe_image("cn-north-1", "img-2")
        .wait_until_image_ready_with(FAST)
        .await
        .expect_err("bad request");
    assert!(
        matches!(&error, WaitError::Poll { error, .. } if error.status().is_some_and(|s| s == 400)),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

/// A `describeImages` answer with one image per status.
fn images(statuses: &[&str]) -> Reply {
    let images: Vec<Value> = statuses
        .iter()
        .enumerate()
        .map(|(index, status)| json!({"imageId": format!("img-c{index}"), "status": status}))
        .collect();
    ok(json!({"images": images, "totalCount": images.len()}))
}

#[tokio::test]
async fn copies_are_waited_for_together_until_every_one_is_ready() {
    let server = TestServer::start(|_, index| match index {
        0 => ok(json!({"copyImages": [
            {"sourceImageId": "img-1", "destinationImageId": "img-c0"},
            {"sourceImageId": "img-2", "destinationImageId": "img-c1"}
        ]})),
        1 => images(&["copying", "copying"]),
        2 => images(&["ready", "copying"]),
        _ => images(&["ready", "ready"]),
    })
    .await;
    let client = super::client(&server);
    let body = CopyImagesRequest {
        source_image_ids: vec!["img-1".to_owned(), "img-2".to_owned()],
        destination_region: "cn-east-2".to_owned(),
        name: None,
        description: None,
    };
    let copied = client
        .copy_images("cn-north-1", body)
        .await
        .expect("copied");
    let ids: Vec<String> = copied
        .copy_images
        .iter()
        .flatten()
        .filter_map(|copy| copy.destination_image_id.clone())
        .collect();
    let ready = client
        .describe_images("cn-east-2")
        .ids(ids)
        .wait_until_images_ready_with(FAST)
        .await
        .expect("every copy ready");
    assert_eq!(ready.images.as_deref().map(<[_]>::len), Some(2));
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "the copy, then three polls");
    for poll in &requests[1..] {
        assert_eq!(
            (poll.path(), poll.query()),
            ("/v1/regions/cn-east-2/images", "ids.1=img-c0&ids.2=img-c1")
        );
    }
    server.assert_all_signed();
}

#[tokio::test]
async fn a_copy_in_error_fails_the_wait_and_ids_are_required() {
    let server = TestServer::start(|_, _| images(&["ready", "error"])).await;
    let client = super::client(&server);
    let error = client
        .describe_images("cn-east-2")
        .wait_until_images_ready_with(FAST)
        .await
        .expect_err("no ids");
    assert!(
        matches!(
            &error,
            WaitError::MissingParameter {
                parameter: "ids",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(server.requests().is_empty(), "nothing was sent");

    let error = client
        .describe_images("cn-east-2")
        .ids(vec!["img-c0".to_owned(), "img-c1".to_owned()])
        .wait_until_images_ready_with(FAST)
        .await
        .expect_err("a copy failed");
    assert!(
        matches!(&error, WaitError::Failed { state, element: Some(1), .. } if state == "error"),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}
