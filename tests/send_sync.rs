//! One loaded policy serves many threads: `Policy` (and what it hands out)
//! must stay `Send + Sync`. These fail to compile, not to run, if that breaks.

const fn send_sync<T: Send + Sync>() {}

const _: () = {
    send_sync::<deon::Policy>();
    send_sync::<deon::Case>();
    send_sync::<deon::Report>();
    send_sync::<deon::Decision<'static>>();
    send_sync::<deon::Verdict<'static>>();
    send_sync::<deon::Diagnostics>();
    send_sync::<deon::batch::Options>();
};

#[test]
fn policy_is_send_and_sync() {
    send_sync::<deon::Policy>();
    let policy = deon::Policy::from_sources([("empty.deon", "")]);
    assert!(policy.is_ok());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                if let Ok(policy) = &policy {
                    let _ = policy.evaluate(&policy.empty_case(), None);
                }
            });
        }
    });
}
