import json, numpy as np
from sklearn.metrics import roc_auc_score
ev=[json.loads(l) for l in open("/tmp/ftx/eval.jsonl")]
en=[json.loads(l) for l in open("/tmp/ftx/engine.jsonl")]
P=np.load("/tmp/ftx/ft_probs.npy")
FH=("crisis","distress","hostility","threat")
def lg(p): p=np.clip(p,1e-6,1-1e-6); return np.log(p/(1-p))
sets=sorted(set(r["set"] for r in ev))
for s in sets:
    ii=[i for i,r in enumerate(ev) if r["set"]==s]
    for j,h in enumerate(FH):
        y=np.array([ev[i]["labels"].get(h,-1) for i in ii]); k=y>=0
        if k.sum()==0 or len(set(y[k]))<2: continue
        e=np.array([en[i]["scores"][h] for i in ii])[k]; f=P[ii,j][k]
        fused=lg(e)+lg(f)
        print(f"{s:16s} {h:10s} n={k.sum():4d} engine {roc_auc_score(y[k],e):.3f}  finetuned {roc_auc_score(y[k],f):.3f}  sum-of-logits {roc_auc_score(y[k],fused):.3f}")
# health: calm flagged at the engine's crisis recall and distress etc
ii=[i for i,r in enumerate(ev) if r["set"]=="health"]
calm=np.array([ev[i]["calm"] for i in ii])==1
anyflag_e=np.array([bool(en[i]["flags"]) for i in ii])
print("engine calm flagged", anyflag_e[calm].mean(), "n calm", calm.sum())
