import os, sys, time
import django
env = os.environ
attempts, interval = int(env['BOOTSTRAP_WAIT_ATTEMPTS']), int(env['BOOTSTRAP_WAIT_SECONDS'])
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
for attempt in range(1, attempts + 1):
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not pending:
            print('MCP database is migrated', flush=True)
            sys.exit(0)
        print(f'{len(pending)} migrations pending ({attempt}/{attempts})', flush=True)
    except Exception as err:
        print(f'MCP database not ready ({attempt}/{attempts}): {err}', flush=True)
        connection.close()
    time.sleep(interval)
sys.exit(f'MCP database not migrated after {attempts} attempts')
