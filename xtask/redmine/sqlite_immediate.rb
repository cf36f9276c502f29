# Written by the test harness; not part of Redmine.
#
# Rails opens SQLite transactions as DEFERRED: a transaction that reads first
# and writes later must upgrade its lock, and SQLite refuses that upgrade at
# once ("database is locked", a 500) instead of waiting for the busy timeout
# whenever another connection holds the write lock, such as the background job
# that deletes a project. IMMEDIATE transactions take the write lock when they
# begin, where the busy timeout applies, so concurrent writers wait their turn.
module HarnessImmediateTransactions
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
end

ActiveSupport.on_load(:active_record_sqlite3adapter) do
  prepend HarnessImmediateTransactions
end
