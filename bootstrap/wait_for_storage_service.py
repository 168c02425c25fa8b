import os, sys, time, urllib.request
env = os.environ
attempts, interval = int(env['BOOTSTRAP_WAIT_ATTEMPTS']), int(env['BOOTSTRAP_WAIT_SECONDS'])
url = env['BOOTSTRAP_SS_URL'].rstrip('/') + '/api/v2/pipeline/?limit=1'
auth = 'ApiKey ' + env['BOOTSTRAP_ADMIN_USERNAME'] + ':' + env['BOOTSTRAP_SS_API_KEY']
for attempt in range(1, attempts + 1):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={'Authorization': auth}), timeout=10) as response:
            if response.status == 200:
                print('storage service answers', flush=True)
                sys.exit(0)
    except Exception as err:
        print(f'storage service not ready ({attempt}/{attempts}): {err}', flush=True)
    time.sleep(interval)
sys.exit(f'storage service did not answer after {attempts} attempts')
