package config

// The YAML contract. Field tags are the keys users write; the walker in
// yaml.go derives the allowed keys and their shapes from these types, and
// viper decodes into them. Every scalar is kept as the text the user wrote
// (no YAML 1.1 guessing of numbers, booleans or timestamps); validate.go
// gives each its type.

type rawConfig struct {
	Station rawStation `mapstructure:"station"`
	Shows   []rawShow  `mapstructure:"shows"`
}

type rawStation struct {
	Name         string     `mapstructure:"name"`
	Timezone     string     `mapstructure:"timezone"`
	BaseURL      string     `mapstructure:"base_url"`
	Language     string     `mapstructure:"language"`
	StreamURL    string     `mapstructure:"stream_url"`
	Image        string     `mapstructure:"image"`
	Owner        rawOwner   `mapstructure:"owner"`
	ScheduleDays string     `mapstructure:"schedule_days"`
	Skip         []string   `mapstructure:"skip"`
	Playout      rawPlayout `mapstructure:"playout"`
	Notify       rawNotify  `mapstructure:"notify"`
}

// rawNotify is who is told when something changes.
type rawNotify struct {
	Podping   rawPodping `mapstructure:"podping"`
	WebSub    []string   `mapstructure:"websub"`
	PubNotify string     `mapstructure:"pubnotify"`
	Webhooks  []string   `mapstructure:"webhooks"`
	Secret    string     `mapstructure:"secret"`
}

type rawPodping struct {
	URL   string `mapstructure:"url"`
	Token string `mapstructure:"token"`
}

// rawPlayout is the station's air chain: the Liquidsoap onair drives, the
// Icecast it sends to, the harbor the studio connects to, the fallback.
type rawPlayout struct {
	Liquidsoap string     `mapstructure:"liquidsoap"`
	Icecast    rawIcecast `mapstructure:"icecast"`
	Harbor     rawHarbor  `mapstructure:"harbor"`
	Fallback   string     `mapstructure:"fallback"`
}

type rawIcecast struct {
	Host     string `mapstructure:"host"`
	Port     string `mapstructure:"port"`
	Mount    string `mapstructure:"mount"`
	Password string `mapstructure:"password"`
}

type rawHarbor struct {
	Bind     string `mapstructure:"bind"`
	Port     string `mapstructure:"port"`
	Mount    string `mapstructure:"mount"`
	Password string `mapstructure:"password"`
}

type rawOwner struct {
	Name  string `mapstructure:"name"`
	Email string `mapstructure:"email"`
}

type rawPerson struct {
	Name string `mapstructure:"name"`
	Role string `mapstructure:"role"`
	Img  string `mapstructure:"img"`
	Href string `mapstructure:"href"`
}

type rawRecordings struct {
	Dir     string `mapstructure:"dir"`
	Pattern string `mapstructure:"pattern"`
	URL     string `mapstructure:"url"`
	Record  string `mapstructure:"record"`
	// Normalize evens a recording's loudness when it is made.
	Normalize string `mapstructure:"normalize"`
}

type rawShow struct {
	ID           string         `mapstructure:"id"`
	Title        string         `mapstructure:"title"`
	Description  string         `mapstructure:"description"`
	Timezone     string         `mapstructure:"timezone"`
	AllowOverlap string         `mapstructure:"allow_overlap"`
	Skip         []string       `mapstructure:"skip"`
	Slots        []rawSlot      `mapstructure:"slots"`
	Exceptions   []rawException `mapstructure:"exceptions"`

	// The podcast.
	Recordings   rawRecordings `mapstructure:"recordings"`
	Author       string        `mapstructure:"author"`
	Language     string        `mapstructure:"language"`
	Copyright    string        `mapstructure:"copyright"`
	Image        string        `mapstructure:"image"`
	Category     string        `mapstructure:"category"`
	Explicit     string        `mapstructure:"explicit"`
	Link         string        `mapstructure:"link"`
	Owner        rawOwner      `mapstructure:"owner"`
	Locked       string        `mapstructure:"locked"`
	GUID         string        `mapstructure:"guid"`
	Hosts        []rawPerson   `mapstructure:"hosts"`
	StreamURL    string        `mapstructure:"stream_url"`
	EpisodeTitle string        `mapstructure:"episode_title"`
	Numbering    string        `mapstructure:"numbering"`
}

type rawSlot struct {
	Kind     string   `mapstructure:"kind"`
	Cron     string   `mapstructure:"cron"`
	Weekly   []string `mapstructure:"weekly"`
	Every    string   `mapstructure:"every"`
	Anchor   string   `mapstructure:"anchor"`
	Monthly  []string `mapstructure:"monthly"`
	Once     string   `mapstructure:"once"`
	At       string   `mapstructure:"at"`
	Duration string   `mapstructure:"duration"`
	Title    string   `mapstructure:"title"`
	From     string   `mapstructure:"from"`
	Until    string   `mapstructure:"until"`
	Of       string   `mapstructure:"of"`
}

type rawException struct {
	Airing   string `mapstructure:"airing"`
	Cancel   string `mapstructure:"cancel"`
	MoveTo   string `mapstructure:"move_to"`
	Replay   string `mapstructure:"replay"`
	Duration string `mapstructure:"duration"`
	Title    string `mapstructure:"title"`
}

// envKeys are the keys an environment variable overrides: ONAIR_<KEY>,
// such as ONAIR_STATION_BASE_URL, and the air chain's passwords, which
// are kept out of the file by their own short names.
var envKeys = []struct{ key, env, within string }{
	{"station.name", "ONAIR_STATION_NAME", ""},
	{"station.timezone", "ONAIR_STATION_TIMEZONE", ""},
	{"station.base_url", "ONAIR_STATION_BASE_URL", ""},
	{"station.stream_url", "ONAIR_STATION_STREAM_URL", ""},
	// Secrets fill in a block the file has; a secret in the environment
	// turns no block on.
	{"station.playout.icecast.password", "ONAIR_ICECAST_PASSWORD", "station.playout"},
	{"station.playout.harbor.password", "ONAIR_HARBOR_PASSWORD", "station.playout"},
	{"station.notify.podping.token", "ONAIR_PODPING_TOKEN", "station.notify.podping"},
	{"station.notify.secret", "ONAIR_WEBHOOK_SECRET", "station.notify.webhooks"},
}
