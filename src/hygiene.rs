//! Process hygiene for a program that holds credentials: no core dumps and no ptrace by
//! unprivileged peers (`PR_SET_DUMPABLE=0`), and a core size limit of 1 byte (not 0, so core
//! handlers such as systemd-coredump or apport skip the dump instead of piping it).
//! Best effort: a failure is logged, never fatal.

/// Applies the settings; call once at start, before any secret is read into memory.
pub fn harden_process() {
    #[cfg(target_os = "linux")]
    if let Err(err) =
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
    {
        tracing::warn!("could not disable core dumps (PR_SET_DUMPABLE): {err}");
    }
    let limit = rustix::process::Rlimit {
        current: Some(1),
        maximum: Some(1),
    };
    if let Err(err) = rustix::process::setrlimit(rustix::process::Resource::Core, limit) {
        tracing::warn!("could not limit core dumps (RLIMIT_CORE): {err}");
    }
}
