import sys, json
sys.path.insert(0, ".")  # run from the project root
from moderation.analysis import analyze_many
rows=[json.loads(l) for l in open("/tmp/ftx/eval.jsonl")]
res=analyze_many([r["text"] for r in rows], explain=False)
with open("/tmp/ftx/engine.jsonl","w") as fh:
    for a in res: fh.write(json.dumps({"scores":dict(a.scores),"flags":list(a.flags)})+"\n")
