import os, re, sys, time
import MySQLdb
env = os.environ
names = env['BOOTSTRAP_DB_NAMES'].split(',')
if not all(re.fullmatch(r'[A-Za-z0-9_]+', n) for n in names): sys.exit('bad database name in BOOTSTRAP_DB_NAMES')
attempts, interval = int(env['BOOTSTRAP_WAIT_ATTEMPTS']), int(env['BOOTSTRAP_WAIT_SECONDS'])
for attempt in range(1, attempts + 1):
    try:
        conn = MySQLdb.connect(host=env['BOOTSTRAP_DB_HOST'], port=int(env['BOOTSTRAP_DB_PORT']), user=env['BOOTSTRAP_DB_MASTER_USER'], passwd=env['BOOTSTRAP_DB_MASTER_PASSWORD'], connect_timeout=10)
        break
    except MySQLdb.OperationalError as err:
        print(f'database not reachable yet ({attempt}/{attempts}): {err}', flush=True)
        time.sleep(interval)
else:
    sys.exit(f'database did not accept connections after {attempts} attempts')
cur = conn.cursor()
user, password = env['BOOTSTRAP_DB_APP_USER'], env['BOOTSTRAP_DB_APP_PASSWORD']
for name in names:
    cur.execute(f'CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci')
cur.execute("CREATE USER IF NOT EXISTS %s@'%%' IDENTIFIED BY %s", (user, password))
cur.execute("ALTER USER %s@'%%' IDENTIFIED BY %s", (user, password))
for name in names:
    cur.execute(f"GRANT ALL PRIVILEGES ON `{name}`.* TO %s@'%%'", (user,))
conn.commit()
print(f'databases {names} and user {user} ready', flush=True)
