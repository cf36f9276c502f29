//! Answers written after the other work that is ready, so that writes to a client cluster.
//!
//! Each write to a client that is waiting for its answer wakes the client, and waking a
//! sleeping thread (another CPU, an interrupt, a context switch) costs the writer more than
//! the write itself when the machine is busy. A worker that writes each answer the moment it
//! is ready wakes a client for nearly every answer; one that first lets the other tasks that
//! are ready run (finishing their own requests) writes several answers in a row, and the
//! client woken by the first is still awake for the next. [`DeferredWrite`] does that: the
//! first write after a request arrives yields to the event loop once, as
//! `tokio::task::yield_now` would, and writes when the task is polled again. When nothing else
//! is ready the task is polled again at once, so a lone request waits no longer.

use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A connection whose first write after each read yields to the event loop once.
#[derive(Debug)]
pub struct DeferredWrite<S> {
    inner: S,
    /// Whether something was read since the last write, so that the next write yields first.
    read_since_write: bool,
}

impl<S> DeferredWrite<S> {
    pub fn new(inner: S) -> Self {
        Self { inner, read_since_write: false }
    }

    /// `Ready` when the write may be made now; otherwise the task has been woken, to be polled
    /// again after the other tasks that are ready.
    fn ready_to_write(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if !self.read_since_write {
            return Poll::Ready(());
        }
        self.read_since_write = false;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for DeferredWrite<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let read = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(read, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.read_since_write = true;
        }
        read
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for DeferredWrite<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        std::task::ready!(this.ready_to_write(cx));
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        std::task::ready!(this.ready_to_write(cx));
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Wake, Waker};

    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

    use super::*;

    /// Counts how often the task was woken.
    #[derive(Default)]
    struct Wakes(AtomicUsize);

    impl Wake for Wakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn waker() -> (Arc<Wakes>, Waker) {
        let wakes = Arc::new(Wakes::default());
        (wakes.clone(), Waker::from(wakes))
    }

    /// A deferred connection whose peer has sent `request`, read through.
    async fn after_reading(request: &[u8]) -> (DeferredWrite<DuplexStream>, DuplexStream) {
        let (ours, mut theirs) = tokio::io::duplex(1024);
        let mut ours = DeferredWrite::new(ours);
        theirs.write_all(request).await.unwrap();
        let mut buf = vec![0; request.len()];
        ours.read_exact(&mut buf).await.unwrap();
        assert_eq!(buf, request);
        (ours, theirs)
    }

    #[tokio::test]
    async fn the_first_write_after_a_read_yields_once_and_wakes_the_task() {
        let (mut ours, mut theirs) = after_reading(b"GET / HTTP/1.1\r\n\r\n").await;
        let (wakes, task) = waker();
        let mut cx = Context::from_waker(&task);

        assert!(Pin::new(&mut ours).poll_write(&mut cx, b"HTTP/1.1 200 OK\r\n").is_pending());
        assert_eq!(wakes.0.load(Ordering::SeqCst), 1, "the task must be woken to come back");
        let written = Pin::new(&mut ours).poll_write(&mut cx, b"HTTP/1.1 200 OK\r\n");
        assert!(matches!(written, Poll::Ready(Ok(17))), "{written:?}");
        // The rest of the same answer is written at once.
        let written = Pin::new(&mut ours).poll_write(&mut cx, b"\r\n");
        assert!(matches!(written, Poll::Ready(Ok(2))), "{written:?}");
        assert_eq!(wakes.0.load(Ordering::SeqCst), 1);

        let mut buf = [0; 19];
        theirs.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200 OK\r\n\r\n");
    }

    #[tokio::test]
    async fn a_vectored_write_yields_the_same_way() {
        let (mut ours, mut theirs) = after_reading(b"ping").await;
        let (wakes, task) = waker();
        let mut cx = Context::from_waker(&task);
        let bufs = [IoSlice::new(b"po"), IoSlice::new(b"ng")];

        assert!(Pin::new(&mut ours).poll_write_vectored(&mut cx, &bufs).is_pending());
        assert_eq!(wakes.0.load(Ordering::SeqCst), 1);
        let written = Pin::new(&mut ours).poll_write_vectored(&mut cx, &bufs);
        assert!(matches!(written, Poll::Ready(Ok(n)) if n > 0), "{written:?}");

        let mut buf = [0; 2];
        theirs.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"po");
    }

    #[tokio::test]
    async fn writes_before_any_read_and_after_an_empty_read_are_not_delayed() {
        let (ours, mut theirs) = tokio::io::duplex(1024);
        let mut ours = DeferredWrite::new(ours);
        let (wakes, task) = waker();
        let mut cx = Context::from_waker(&task);
        assert!(matches!(Pin::new(&mut ours).poll_write(&mut cx, b"hello"), Poll::Ready(Ok(5))));

        // The peer closes its side: the read finds the end of the stream, which is no request.
        theirs.shutdown().await.unwrap();
        let mut buf = [0; 8];
        assert_eq!(ours.read(&mut buf).await.unwrap(), 0);
        assert!(matches!(Pin::new(&mut ours).poll_write(&mut cx, b"bye"), Poll::Ready(Ok(3))));
        assert_eq!(wakes.0.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_request_and_its_answer_pass_unchanged() {
        let (mut ours, mut theirs) = after_reading(b"request").await;
        let answer = vec![7u8; 4096];
        let writer = tokio::spawn(async move {
            ours.write_all(&answer).await.unwrap();
            ours.shutdown().await.unwrap();
        });
        let mut received = Vec::new();
        theirs.read_to_end(&mut received).await.unwrap();
        writer.await.unwrap();
        assert_eq!(received, vec![7u8; 4096]);
    }
}
