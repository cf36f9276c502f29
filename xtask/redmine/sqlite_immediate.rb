# Written by the test harness; not part of Redmine.
#
# Makes concurrent writers to the test database wait for each other instead of
# failing with "database is locked" (a 500):
#
# - Rails opens SQLite transactions as DEFERRED: one that reads first and
#   writes later must upgrade its lock, and SQLite refuses that upgrade at once,
#   without waiting, while another connection (the background job deleting a
#   project, say) holds the write lock. IMMEDIATE transactions take the write
#   lock when they begin, where waiting applies.
# - The sqlite3 gem's busy timeout waits inside SQLite while holding Ruby's
#   global lock, so a request waiting for a background job in the same process
#   would stop that job from finishing. This busy handler sleeps in Ruby, which
#   lets the other thread run, for up to BUSY_WAIT_SECONDS.
module HarnessSqliteWaits
  BUSY_WAIT_SECONDS = 30.0

  def begin_db_transaction
    if respond_to?(:with_raw_connection, true)
      log("begin immediate transaction", "TRANSACTION") do
        with_raw_connection(allow_retry: true, materialize_transactions: false) do |conn|
          result = conn.transaction(:immediate)
          verified!
          result
        end
      end
    else
      log("begin immediate transaction", "TRANSACTION") { @connection.transaction(:immediate) }
    end
  end

  private

  def configure_connection
    super
    deadline = nil
    (@raw_connection || @connection).busy_handler do |count|
      now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      deadline = now + BUSY_WAIT_SECONDS if count.zero?
      next false if now > deadline

      sleep(0.002)
      true
    end
  end
end

ActiveSupport.on_load(:active_record_sqlite3adapter) do
  prepend HarnessSqliteWaits
end
