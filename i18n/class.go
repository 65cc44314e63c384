package i18n

// Class is the class server's part of the page: the header's line, the
// student's panel (join, connection, the class reward model) and the
// teacher's dashboard.
type Class struct {
	Button     string // the header button of a page in no class yet but invited
	Connected  string // the header's line: %s the class
	Offline    string // the header's line offline: %s the class, %d rankings waiting
	Dashboard  string // the header button of the teacher's tab
	Back       string // closes the class screen
	JoinTitle  string
	Explain    string // why only a nickname
	Nickname   string // the field's placeholder
	Join       string
	Joining    string
	Refused    string // %s the server's message
	Status     string // %s the class, %s the nickname
	Unreached  string // %d rankings waiting
	AtServer   string // %d rankings at the server, %d waiting to be sent
	Rejected   string // %d rankings the server refused
	HowLabel   string // how step 2 works in a class
	NoModel    string
	ModelReady string // %d the version
	UseClass   string
	UseOwn     string
	Fetching   string
	UsingClass string
	UsingOwn   string
	Compare    string // %s the own model's accuracy, %s the class model's
	GoLabel    string // to step 2
	SharedSet  string // step 2's note on a set from the class server: %d its number
	// The class's model is another language's than the session's.
	OtherModel  string // %s the class's model, %s the session's
	SwitchModel string // %s the class's model
	NoClassLang string // %s the class's model: this server has none
	// Ending the class on this computer.
	Leave        string // the student's button
	LeaveConfirm string // its label once clicked with rankings waiting: %d of them, which leaving drops
	Forget       string // the teacher's button

	DashTitle      string // %s the class
	DashLine       string // %s the join code, %d students, %d rankings, %d sets ranked by two or more
	NoStudents     string
	Students       string // the list's heading
	Rankings       string // its column
	Majority       string // its column: agreement with the majority
	Online         string // a student seen in the last 30 s
	Away           string
	Matrix         string // the matrix's heading
	ClassAgreement string // %s the share, %d pairs of rankings
	NoAgreement    string
	Replicas       string // the stepper's name
	ExportJSON     string
	ExportCSV      string
	Train          string
	Training       string // %d steps done, %d in all
	Trained        string // %d rankings, %s held-out accuracy
	Send           string
	Sending        string
	Sent           string // %d the version
	NoServer       string
}

var enClass = Class{
	Button:     "Join the class",
	Connected:  "%s: connected",
	Offline:    "%s: offline, %d waiting",
	Dashboard:  "Class dashboard",
	Back:       "Back to the recipe",
	JoinTitle:  "Join the class",
	Explain:    "Your teacher's class server pools the rankings of everybody in the room, so the class can see where its labelers agree. It asks for a nickname only: no account, no real name.",
	Nickname:   "Nickname",
	Join:       "Join",
	Joining:    "Joining…",
	Refused:    "The class server said: %s",
	Status:     "Connected to %s as %s.",
	Unreached:  "The class server cannot be reached: %d {ranking waits|rankings wait} in this browser and are sent when it is back.",
	AtServer:   "Your rankings at the class server: %d (%d waiting to be sent).",
	Rejected:   "The server refused %d {ranking (a set that was|rankings (sets that were} not yours).",
	HowLabel:   "In step 2 you rank the answers the class server hands out: classmates rank the same ones, so the teacher can show where you agree. Each ranking also trains your own reward model.",
	NoModel:    "The teacher has not sent a class reward model yet.",
	ModelReady: "The class reward model (version %d) is ready: run PPO on it and compare with your own.",
	UseClass:   "Use the class reward model",
	UseOwn:     "Use my own reward model",
	Fetching:   "Fetching…",
	UsingClass: "PPO now runs on the class reward model.",
	UsingOwn:   "PPO runs on your own reward model.",
	Compare:    "On your held-out rankings: your reward model %s, the class's %s.",
	GoLabel:    "Rank answers",
	SharedSet:  "class set %d",

	OtherModel:  "This class ranks the answers of the %s, and this session uses the %s: switch the model to rank the class's sets and use its reward model.",
	SwitchModel: "Use the %s",
	NoClassLang: "This class ranks the answers of the %s, which this server does not have.",

	Leave:        "Leave the class",
	LeaveConfirm: "Leave, and drop the %d {ranking|rankings} not sent",
	Forget:       "Forget the dashboard on this computer",

	DashTitle:      "%s: the teacher's dashboard",
	DashLine:       "Join code %s · %d {student|students} · %d {ranking|rankings} · %d {set|sets} ranked by two or more",
	NoStudents:     "No student has joined yet: give the class the student link.",
	Students:       "Students",
	Rankings:       "Rankings",
	Majority:       "With the majority",
	Online:         "connected",
	Away:           "away",
	Matrix:         "Agreement between two students: the share of answer pairs they ordered alike, on the sets both ranked",
	ClassAgreement: "Class agreement %s over %d {pair|pairs} of rankings (InstructGPT's labelers: about 73%%)",
	NoAgreement:    "No set is ranked by two students yet.",
	Replicas:       "Students per set",
	ExportJSON:     "Export JSON",
	ExportCSV:      "Export CSV",
	Train:          "Train the class reward model",
	Training:       "Training… %d/%d",
	Trained:        "Trained on %d {ranking|rankings}: held-out accuracy %s.",
	Send:           "Send it to the class",
	Sending:        "Sending…",
	Sent:           "Sent: every student can use version %d now.",
	NoServer:       "The class server cannot be reached.",
}

var zhClass = Class{
	Button:     "加入課程",
	Connected:  "%s：已連上",
	Offline:    "%s：連不上，%d 個待送",
	Dashboard:  "課程總覽",
	Back:       "回到流程",
	JoinTitle:  "加入課程",
	Explain:    "老師的課程伺服器匯集全班每個人的排名，讓大家看到標記者在哪裡看法相同。只需要一個稱呼：不需要其他資料，也不用真名。",
	Nickname:   "稱呼",
	Join:       "加入",
	Joining:    "加入中…",
	Refused:    "課程伺服器回覆：%s",
	Status:     "已連上「%s」，稱呼 %s。",
	Unreached:  "連不上課程伺服器：%d 個排名存在這個瀏覽器裡，伺服器回來後就會送出。",
	AtServer:   "你在課程伺服器上的排名：%d 個（%d 個等待送出）。",
	Rejected:   "伺服器不收 %d 個排名（不是發給你的題組）。",
	HowLabel:   "在步驟 2，你排名的是課程伺服器發下的回答：同學也排名同一組，老師就能看出大家在哪裡看法相同。每個排名也會訓練你自己的獎勵模型。",
	NoModel:    "老師還沒有送出全班的獎勵模型。",
	ModelReady: "全班的獎勵模型（第 %d 版）可以用了：用它跑近端策略最佳化（PPO），再和你自己的比較。",
	UseClass:   "使用全班的獎勵模型",
	UseOwn:     "使用我自己的獎勵模型",
	Fetching:   "取得中…",
	UsingClass: "PPO 現在以全班的獎勵模型為目標。",
	UsingOwn:   "PPO 以你自己的獎勵模型為目標。",
	Compare:    "在你保留的排名上：你的獎勵模型 %s，全班的 %s。",
	GoLabel:    "去排名",
	SharedSet:  "全班題組 %d",

	OtherModel:  "這個課程排名的是%s的回答，而這個工作階段用的是%s：切換模型，才能排名課程的題組、使用課程的獎勵模型。",
	SwitchModel: "改用%s",
	NoClassLang: "這個課程排名的是%s的回答，但這個伺服器沒有這個模型。",

	Leave:        "離開課程",
	LeaveConfirm: "離開，不送出還在等的 %d 個排名",
	Forget:       "在這台電腦上忘記這個總覽",

	DashTitle:      "%s：老師的總覽",
	DashLine:       "學生加入用 %s，%d 位學生，%d 個排名，%d 個題組有兩人以上排名",
	NoStudents:     "還沒有學生加入：把學生連結發給全班。",
	Students:       "學生",
	Rankings:       "排名數",
	Majority:       "與多數一致",
	Online:         "已連上",
	Away:           "離開",
	Matrix:         "兩位學生的一致率：在兩人都排名過的題組上，答案配對順序相同的比例",
	ClassAgreement: "全班一致率 %s，來自 %d 對排名（InstructGPT 的標記者約 73%%）",
	NoAgreement:    "還沒有題組被兩位學生排名。",
	Replicas:       "每個題組的學生數",
	ExportJSON:     "匯出 JSON",
	ExportCSV:      "匯出 CSV",
	Train:          "訓練全班的獎勵模型",
	Training:       "訓練中… %d/%d",
	Trained:        "以 %d 個排名訓練完成：保留集準確率 %s。",
	Send:           "送給全班",
	Sending:        "傳送中…",
	Sent:           "已送出：每位學生現在都能使用第 %d 版。",
	NoServer:       "連不上課程伺服器。",
}
