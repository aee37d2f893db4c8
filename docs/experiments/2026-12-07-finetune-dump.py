import sys, json, random
sys.path.insert(0, ".")  # run from the project root
from moderation.analysis import train_core as tc, data
from moderation.analysis.evaluate import eval_sets
rng=random.Random(0)
c=tc.build()
out=open("/tmp/ftx/train.jsonl","w")
FH=("crisis","distress","hostility","threat")
caps={"batches":10**9,"sdcnl":1200,"cssrs":400,"stweets":1200,"olid":1500,"civil":1000,"goemotions":1500,"dreaddit":1200,"davidson":500,"counsel":300}
if sys.argv[1:] == ["big"]:  # the second run: 20,946 rows
    caps={"batches":10**9,"sdcnl":10**9,"cssrs":10**9,"stweets":3000,"olid":4000,"civil":2000,"goemotions":5000,"dreaddit":10**9,"davidson":1000,"counsel":500}
byS={}
for i,s in enumerate(c.source):
    if s in caps and (c.split[i]=="train" or s=="batches"): byS.setdefault(s,[]).append(i)
n=0
for s,ii in byS.items():
    rng.shuffle(ii)
    for i in ii[:caps[s]]:
        lab={h:c.labels[i][h] for h in FH if h in c.labels[i]}
        if lab: out.write(json.dumps({"text":c.text[i][:1500],"labels":lab,"source":s})+"\n"); n+=1
print("train rows",n)
sets=eval_sets()
ev=open("/tmp/ftx/eval.jsonl","w")
for name in ("domain_dev","heldout"):
    for r in sets[name]:
        lab=tc._health_labels(r)
        ev.write(json.dumps({"set":"health","text":r["text"],"labels":{h:lab[h] for h in FH},"calm":int(r["distress"]<=1 and r["hostility"]<=1)})+"\n")
pub={"olid":"hostility","mlma_en":"hostility","dreaddit":"distress","goemotions":"distress","sdcnl":"crisis","cssrs":"crisis","suicidal_tweets":"crisis"}
for name,head in pub.items():
    for r in sets[name][:500]:
        ev.write(json.dumps({"set":name,"text":r["text"][:1500],"labels":{head:r["y"]}})+"\n")
