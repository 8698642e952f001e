# Submit a document over Translive's TCP event-bus bridge and print its progress until it ends.
# Usage: python3 tcp_client.py PORT FILE   (frames: 4-byte big-endian length + JSON)
import json, socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
send = lambda m: s.sendall(struct.pack(">I", len(b := json.dumps(m).encode())) + b)
recv = lambda: json.loads(s.recv(struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0], socket.MSG_WAITALL))
send({"type": "register", "address": "translive.progress"})
send({"type": "send", "address": "translive.tasks.submit", "replyAddress": "me",
      "body": {"filename": sys.argv[2].split("/")[-1], "content": open(sys.argv[2]).read(), "target_lang": "es"}})
task, early = None, []  # progress may arrive before the reply that names the task
while True:
    m = recv()
    if m.get("type") == "err": sys.exit("refused: " + str(m))
    if m.get("address") == "me": task = m["body"]["task_id"]; print("submitted", task)
    else: early.append(m["body"])
    for b in [b for b in early if task and b.get("task_id") == task]:
        early.remove(b); print(b["type"], json.dumps(b["data"]))
        if b["type"] == "task_completed": sys.exit(0 if b["data"]["success"] else 1)
